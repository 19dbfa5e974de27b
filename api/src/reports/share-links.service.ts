import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CreateShareLinkInput, Page, PageQuery } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { ProgramChanges } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, toPage } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { User } from '../users/user.entity';
import { renderReportMarkdown } from './report.markdown';
import { ReportService } from './report.service';
import type { StatusReport } from './report.view';
import { ShareLink } from './share-link.entity';
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from './tokens';

export interface CreatedShareLink {
  id: string;
  /** the web page that shows the report; the token is in it and is shown only this once */
  url: string;
  token: string;
  expiresAt: string;
}

export interface ShareLinkView {
  id: string;
  createdAt: string;
  createdBy: { id: string; name: string };
  expiresAt: string;
  revokedAt: string | null;
  /** neither revoked nor expired */
  active: boolean;
}

const DAY_MS = 86_400_000;

/** Unknown, revoked and expired links get the same answer, so a link's fate is not disclosed. */
const linkNotFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Not found' });

const shareLinkView = (link: ShareLink, now = Date.now()): ShareLinkView => ({
  id: link.id,
  createdAt: link.createdAt.toISOString(),
  createdBy: { id: link.createdBy.id, name: link.createdBy.name },
  expiresAt: link.expiresAt.toISOString(),
  revokedAt: link.revokedAt?.toISOString() ?? null,
  active: !link.revokedAt && link.expiresAt.getTime() > now,
});

@Injectable()
export class ShareLinksService {
  constructor(
    private readonly em: EntityManager,
    private readonly access: AccessService,
    private readonly changes: ProgramChanges,
    private readonly reports: ReportService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, idOrKey: string, input: CreateShareLinkInput): Promise<CreatedShareLink> {
    return this.changes.apply(actor, idOrKey, 'manage', async ({ program, tx, record }) => {
      const token = newSecretToken();
      const expiresAt = new Date(Date.now() + input.expiresInDays * DAY_MS);
      const link = tx.create(ShareLink, { program, tokenHash: this.hash(token), createdBy: tx.getReference(User, actor.id), expiresAt });
      record({
        entityType: 'share_link',
        entityId: link.id,
        action: 'created',
        summary: `shared the status report by link until ${expiresAt.toISOString().slice(0, 10)}`,
        changes: { expiresAt: { before: null, after: expiresAt.toISOString() } },
      });
      return { id: link.id, url: `/share/${token}`, token, expiresAt: expiresAt.toISOString() };
    }, { whileArchived: true });
  }

  /** Newest first, revoked and expired ones included (marked); never the tokens. */
  async list(actor: Actor, idOrKey: string, query: PageQuery): Promise<Page<ShareLinkView>> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'manage');
    const after = decodeCursor(query.cursor, ['string', 'uuid']);
    const at = after ? new Date(String(after[0])) : null;
    if (at && Number.isNaN(at.getTime())) throw new ValidationFailed([{ field: 'cursor', reason: 'is not a cursor this list returned' }]);
    const rows = await this.em.find(
      ShareLink,
      { program, ...(at && after ? { $or: [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: String(after[1]) } }] } : {}) },
      { populate: ['createdBy'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, (l) => [l.createdAt.toISOString(), l.id], (l) => shareLinkView(l));
  }

  /** Revoking twice is not an error: the link is dead either way. */
  async revoke(actor: Actor, id: string): Promise<void> {
    await this.changes.applyToChild(actor, ShareLink, id, 'Share link', 'manage', async ({ record }, link) => {
      if (link.revokedAt) return;
      link.revokedAt = new Date();
      record({ entityType: 'share_link', entityId: link.id, action: 'revoked', summary: 'revoked a share link to the status report', changes: { revokedAt: { before: null, after: link.revokedAt.toISOString() } } });
    }, { whileArchived: true });
  }

  /** The report behind a live share link, without emails. */
  async sharedReport(token: string): Promise<StatusReport> {
    if (!looksLikeSecretToken(token)) throw linkNotFound();
    const link = await this.em.findOne(
      ShareLink,
      { tokenHash: this.hash(token), revokedAt: null, expiresAt: { $gt: new Date() } },
      { populate: ['program', 'program.owner', 'program.team'] },
    );
    if (!link) throw linkNotFound();
    return this.reports.build(link.program, true);
  }

  async sharedMarkdown(token: string): Promise<string> {
    return renderReportMarkdown(await this.sharedReport(token));
  }

  private hash(token: string): string {
    return hashSecretToken(this.config.sessionSecret, token);
  }
}
