import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CreateVersionInput, Page, PageQuery } from '@tandem/domain';
import * as Y from 'yjs';
import { AccessService } from '../access/access.service';
import { ProgramChanges } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { DocVersion, type VersionKind } from '../collab/doc-storage.entity';
import { decodeCursor, toPage } from '../common/pagination';
import { User } from '../users/user.entity';
import { archivedMessage, Doc } from './doc.entity';
import { DocContent } from './doc-content.service';
import { DocExport } from './doc-export.service';
import { replaceContent } from './restore';

export interface VersionView {
  id: string;
  name: string;
  kind: VersionKind;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
}

export interface VersionPreview {
  version: VersionView;
  markdown: string;
  html: string;
}

export interface RestoreResult {
  restored: VersionView;
  /** the state just before the restore; restoring it undoes the restore */
  undo: VersionView;
}

const versionView = (v: Pick<DocVersion, 'id' | 'name' | 'kind' | 'createdBy' | 'createdAt'>): VersionView => ({
  id: v.id,
  name: v.name,
  kind: v.kind,
  createdBy: v.createdBy ? { id: v.createdBy.id, name: v.createdBy.name } : null,
  createdAt: v.createdAt.toISOString(),
});

const DAY_MS = 24 * 60 * 60 * 1000;
const notFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Version not found' });

/**
 * Named full copies of a document's state: made by hand, automatically once a day on edited
 * documents, and before every restore. Restoring is a new edit on top of the current state, so
 * people editing at that moment keep working and see the restored content arrive.
 */
@Injectable()
export class VersionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly access: AccessService,
    private readonly changes: ProgramChanges,
    private readonly content: DocContent,
    private readonly exporter: DocExport,
  ) {}

  async list(actor: Actor, docId: string, query: PageQuery): Promise<Page<VersionView>> {
    await this.access.requireChild(actor, Doc, docId, 'Document', 'read');
    const before = decodeCursor(query.cursor, ['string', 'uuid']);
    const rows = await this.em.find(
      DocVersion,
      {
        doc: docId,
        ...(before ? { $or: [{ createdAt: { $lt: new Date(String(before[0])) } }, { createdAt: new Date(String(before[0])), id: { $lt: String(before[1]) } }] } : {}),
      },
      // never the state: a list of versions must stay small
      { exclude: ['state'], populate: ['createdBy'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, (v) => [v.createdAt.toISOString(), v.id], versionView);
  }

  async create(actor: Actor, docId: string, input: CreateVersionInput): Promise<VersionView> {
    const state = await this.stateFor(actor, docId);
    return this.changes.applyToChild(actor, Doc, docId, 'Document', 'write', async ({ tx, record, program }, doc) => {
      if (doc.archivedAt) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: archivedMessage(doc, program) });
      const version = tx.create(DocVersion, { doc, name: input.name, kind: 'manual', state: Buffer.from(state), createdBy: tx.getReference(User, actor.id) });
      record({ entityType: 'doc', entityId: doc.id, action: 'version_saved', summary: `saved version "${input.name}" of "${doc.title}"` });
      await tx.flush();
      await tx.populate(version, ['createdBy']);
      return versionView(version);
    });
  }

  async preview(actor: Actor, docId: string, versionId: string): Promise<VersionPreview> {
    const { program } = await this.access.requireChild(actor, Doc, docId, 'Document', 'read');
    const version = await this.em.findOne(DocVersion, { id: versionId, doc: docId }, { populate: ['createdBy'] });
    if (!version) throw notFound();
    const rendered = await this.exporter.render(new Uint8Array(version.state), program.id);
    return { version: versionView(version), ...rendered };
  }

  /**
   * Saves the current state as a 'restore' version (so the restore can be undone), then replaces
   * the text and the retro board with copies of the version's, as one new edit that reaches open
   * editors. The undo point is written first (so a restore never happens without one), then
   * completed with the state the restore actually replaced, read in the same synchronous step:
   * edits accepted while the undo point was being committed would otherwise be wiped by the
   * restore and be in no version at all.
   */
  async restore(actor: Actor, docId: string, versionId: string): Promise<RestoreResult> {
    const before = await this.stateFor(actor, docId);
    const { restored, undo, state } = await this.changes.applyToChild(actor, Doc, docId, 'Document', 'write', async ({ tx, record, program }, doc) => {
      if (doc.archivedAt || program.archivedAt) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: archivedMessage(doc, program) });
      const version = await tx.findOne(DocVersion, { id: versionId, doc }, { populate: ['createdBy'] });
      if (!version) throw notFound();
      const undoPoint = tx.create(DocVersion, { doc, name: `Before restoring "${version.name}"`.slice(0, 200), kind: 'restore', state: Buffer.from(before), createdBy: tx.getReference(User, actor.id) });
      record({ entityType: 'doc', entityId: doc.id, action: 'version_restored', summary: `restored version "${version.name}" of "${doc.title}"` });
      await tx.flush();
      await tx.populate(undoPoint, ['createdBy']);
      return { restored: versionView(version), undo: versionView(undoPoint), state: new Uint8Array(version.state) };
    });
    // After the commit, never inside it: the edit waits for its own commit in the update log.
    const source = new Y.Doc();
    const replaced: { state: Uint8Array | null } = { state: null };
    try {
      Y.applyUpdate(source, state);
      await this.content.edit(docId, (target) => {
        replaced.state = Y.encodeStateAsUpdate(target);
        replaceContent(target, source);
      });
    } finally {
      source.destroy();
    }
    // Merged with what the undo point holds, so completing it only ever adds edits (with several
    // nodes, the room may not have heard of a row another node stored before \`before\` was read).
    if (replaced.state) await this.em.fork().nativeUpdate(DocVersion, { id: undo.id }, { state: Buffer.from(Y.mergeUpdates([before, replaced.state])) });
    return { restored, undo };
  }

  /**
   * The daily automatic version: if the document was edited since its last version and that
   * version (or, without one, its creation) is more than a day old. Asked when a document's room
   * is released and, for rooms that stay open, by the periodic sweep (DocsService). "Edited"
   * counts what compaction folded (`lastEditedAt`) and what is still in the update log. An
   * advisory lock keeps two nodes from both saving one.
   */
  async autoVersion(docId: string, now = new Date()): Promise<VersionView | null> {
    const due = async (em: EntityManager): Promise<Doc | null> => {
      const doc = await em.findOne(Doc, { id: docId });
      if (!doc) return null;
      const [last] = await em.find(DocVersion, { doc }, { fields: ['createdAt'], orderBy: { createdAt: 'desc' }, limit: 1 });
      const since = last?.createdAt ?? doc.createdAt;
      if (now.getTime() - since.getTime() < DAY_MS) return null;
      if (doc.lastEditedAt && doc.lastEditedAt > since) return doc;
      const [logged] = await em.execute<{ edited: boolean }[]>('select exists (select 1 from doc_update where doc_id = ? and created_at > ?) as edited', [docId, since]);
      return logged?.edited ? doc : null;
    };
    if (!(await due(this.em.fork()))) return null;
    // Read before the transaction: the embedded database serves one connection at a time.
    const state = await this.content.storedState(docId);
    return this.em.fork().transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`doc-version:${docId}`]);
      const doc = await due(tx);
      if (!doc) return null;
      const version = tx.create(DocVersion, { doc, name: `Automatic ${now.toISOString().slice(0, 10)}`, kind: 'auto', state: Buffer.from(state), createdBy: null });
      await tx.flush();
      return versionView(version);
    });
  }

  /** Access first (404 for what the actor may not see), then the stored state. */
  private async stateFor(actor: Actor, docId: string): Promise<Uint8Array> {
    await this.access.requireChild(actor, Doc, docId, 'Document', 'write');
    return this.content.storedState(docId);
  }
}
