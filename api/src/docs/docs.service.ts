import { ConflictException, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CreateDocInput, Page, PageQuery, UpdateDocInput } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { ProgramChanges } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { RoomsService } from '../collab/rooms.service';
import { AccessChanges } from '../live/access-changes';
import { decodeCursor, toPage } from '../common/pagination';
import { User } from '../users/user.entity';
import { archivedMessage, Doc } from './doc.entity';
import { docView, type DocView } from './doc.view';
import { RetroService } from './retro.service';
import { VersionsService, type VersionView } from './versions.service';

/** How often the documents open on a node are asked whether their daily automatic version is due. */
export const AUTO_VERSION_SWEEP_MS = 15 * 60 * 1000;

@Injectable()
export class DocsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Docs');
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;

  constructor(
    private readonly em: EntityManager,
    private readonly access: AccessService,
    private readonly changes: ProgramChanges,
    private readonly rooms: RoomsService,
    private readonly versions: VersionsService,
    private readonly retro: RetroService,
    private readonly accessChanges: AccessChanges,
  ) {}

  onModuleInit(): void {
    // Daily versions are asked for when a room is released, and — for documents someone keeps
    // open for days, whose room is never released — by a sweep over the rooms open on this node.
    this.rooms.onReleased = async (docId) => void (await this.autoVersion(docId));
    this.sweepTimer = setInterval(() => void this.sweepAutoVersions(), AUTO_VERSION_SWEEP_MS);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  /** Saves the daily automatic version if the document is due one (see VersionsService). */
  autoVersion(docId: string): Promise<VersionView | null> {
    return this.versions.autoVersion(docId);
  }

  /**
   * Asks every document open on this node, one after the other, whether its daily automatic
   * version is due; returns how many were saved. A sweep still running when the next is due is
   * not doubled. Failures are logged and the sweep goes on: the next one asks again.
   */
  async sweepAutoVersions(): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    let saved = 0;
    try {
      for (const docId of [...this.rooms.all()].map((room) => room.docId)) {
        try {
          if (await this.autoVersion(docId)) saved += 1;
        } catch (error) {
          this.logger.warn(`automatic version of ${docId}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    } finally {
      this.sweeping = false;
    }
    return saved;
  }

  async list(actor: Actor, programIdOrKey: string, query: PageQuery & { includeArchived?: boolean }): Promise<Page<DocView>> {
    const { program } = await this.access.requireProgram(actor, programIdOrKey, 'read');
    const before = decodeCursor(query.cursor, ['string', 'uuid']);
    const rows = await this.em.find(
      Doc,
      {
        program,
        ...(query.includeArchived ? {} : { archivedAt: null }),
        ...(before ? { $or: [{ createdAt: { $lt: new Date(String(before[0])) } }, { createdAt: new Date(String(before[0])), id: { $lt: String(before[1]) } }] } : {}),
      },
      { populate: ['createdBy'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, (d) => [d.createdAt.toISOString(), d.id], docView);
  }

  async get(actor: Actor, docId: string): Promise<DocView> {
    await this.access.requireChild(actor, Doc, docId, 'Document', 'read');
    return docView(await this.em.findOneOrFail(Doc, { id: docId }, { populate: ['createdBy'] }));
  }

  async create(actor: Actor, programIdOrKey: string, input: CreateDocInput): Promise<DocView> {
    const view = await this.changes.apply(actor, programIdOrKey, 'write', async ({ program, tx, record }) => {
      const doc = tx.create(Doc, { program, kind: input.kind, title: input.title, createdBy: tx.getReference(User, actor.id) });
      record({ entityType: 'doc', entityId: doc.id, action: 'created', summary: `created the ${input.kind} "${input.title}"` });
      await tx.flush();
      await tx.populate(doc, ['createdBy']);
      return docView(doc);
    });
    // After the commit: the board is content, stored through the update log like any edit.
    if (view.kind === 'retro') {
      await this.retro.initBoard(view.id).catch((error: unknown) => this.logger.error(`setting up the board of ${view.id}: ${String(error)}`));
    }
    return view;
  }

  async rename(actor: Actor, docId: string, input: UpdateDocInput): Promise<DocView> {
    return this.changes.applyToChild(actor, Doc, docId, 'Document', 'write', async ({ tx, record, program }, doc) => {
      if (doc.archivedAt) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: archivedMessage(doc, program) });
      if (doc.title !== input.title) {
        record({ entityType: 'doc', entityId: doc.id, action: 'renamed', summary: `renamed "${doc.title}" to "${input.title}"`, changes: { title: { before: doc.title, after: input.title } } });
        doc.title = input.title;
      }
      // Flushed here, so the answer carries the updatedAt the change was stored with.
      await tx.flush();
      await tx.populate(doc, ['createdBy']);
      return docView(doc);
    });
  }

  async setArchived(actor: Actor, docId: string, archived: boolean): Promise<DocView> {
    let changed = false;
    const view = await this.changes.applyToChild(actor, Doc, docId, 'Document', 'write', async ({ tx, record }, doc) => {
      if (Boolean(doc.archivedAt) !== archived) {
        changed = true;
        doc.archivedAt = archived ? new Date() : null;
        record({ entityType: 'doc', entityId: doc.id, action: archived ? 'archived' : 'restored', summary: `${archived ? 'archived' : 'restored'} "${doc.title}"` });
      }
      await tx.flush();
      await tx.populate(doc, ['createdBy']);
      return docView(doc);
    });
    // Whoever has it open gets a read-only (or writable again) connection at once.
    if (changed) this.accessChanges.notify({ userId: null, programId: view.programId, docId: view.id });
    return view;
  }
}
