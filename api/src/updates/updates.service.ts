import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import type { ComputedHealth, CreateStatusUpdateInput, Health, ListUpdatesQuery, Page, ProgramSignals } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { ProgramChanges } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, toPage } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import type { Program } from '../programs/program.entity';
import { SignalsService } from '../signals/signals.service';
import { User } from '../users/user.entity';
import { StatusUpdate } from './status-update.entity';
import { authorRef, statusUpdateView, type AuthorRef, type StatusUpdateView } from './status-update.view';

export interface ProgramSignalsView {
  /** what the owner last reported; null before the first update */
  reported: { health: Health; at: string; author: AuthorRef } | null;
  /** what the numbers say, with the reasons */
  computed: ComputedHealth;
  signals: ProgramSignals;
}

@Injectable()
export class UpdatesService {
  constructor(
    private readonly em: EntityManager,
    private readonly access: AccessService,
    private readonly changes: ProgramChanges,
    private readonly signals: SignalsService,
  ) {}

  /**
   * Newest first; the cursor is the last row's (createdAt, id), so equal timestamps never skip a row.
   * With `since`, the list stops at the update in force at that moment (the newest one before it),
   * the same keyset bound from the other end.
   */
  async list(actor: Actor, idOrKey: string, query: ListUpdatesQuery): Promise<Page<StatusUpdateView>> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'read');
    const after = decodeCursor(query.cursor, ['string', 'uuid']);
    const at = after ? new Date(String(after[0])) : null;
    if (at && Number.isNaN(at.getTime())) throw new ValidationFailed([{ field: 'cursor', reason: 'is not a cursor this list returned' }]);
    const bounds: FilterQuery<StatusUpdate>[] = [];
    if (at && after) bounds.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: String(after[1]) } }] });
    if (query.since) bounds.push(await this.historyFrom(program, query.since));
    const rows = await this.em.find(
      StatusUpdate,
      { program, ...(bounds.length ? { $and: bounds } : {}) },
      { populate: ['author'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, (u) => [u.createdAt.toISOString(), u.id], statusUpdateView);
  }

  /** Rows from the update in force at `since` on; from `since` itself when none was posted before. */
  private async historyFrom(program: Program, since: Date): Promise<FilterQuery<StatusUpdate>> {
    const inForce = await this.em.findOne(StatusUpdate, { program, createdAt: { $lt: since } }, { orderBy: { createdAt: 'desc', id: 'desc' } });
    if (!inForce) return { createdAt: { $gte: since } };
    return { $or: [{ createdAt: { $gt: inForce.createdAt } }, { createdAt: inForce.createdAt, id: { $gte: inForce.id } }] };
  }

  async create(actor: Actor, idOrKey: string, input: CreateStatusUpdateInput): Promise<StatusUpdateView> {
    return this.changes.apply(actor, idOrKey, 'write', async ({ program, tx, record }) => {
      const previous = await tx.findOne(StatusUpdate, { program }, { orderBy: { createdAt: 'desc', id: 'desc' }, fields: ['health'] });
      const update = tx.create(StatusUpdate, { program, health: input.health, narrative: input.narrative, author: tx.getReference(User, actor.id) });
      record({
        entityType: 'status_update',
        entityId: update.id,
        action: 'created',
        summary: `reported ${input.health.replace('_', ' ')}`,
        changes: { health: { before: previous?.health ?? null, after: input.health } },
      });
      return { ...statusUpdateView(update), author: authorRef(actor) };
    });
  }

  /** Reported beside computed health, and the signals behind the latter. */
  async signalsFor(actor: Actor, idOrKey: string): Promise<ProgramSignalsView> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'read');
    const computed = await this.signals.forPrograms([program.id]);
    const latest = await this.em.findOne(StatusUpdate, { program }, { populate: ['author'], orderBy: { createdAt: 'desc', id: 'desc' } });
    const { signals, computed: health } = computed.get(program.id)!;
    return {
      reported: latest ? { health: latest.health, at: latest.createdAt.toISOString(), author: authorRef(latest.author) } : null,
      computed: health,
      signals,
    };
  }
}
