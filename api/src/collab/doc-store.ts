import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import * as Y from 'yjs';
import { GroupCommit } from './group-commit';

interface LogItem {
  docId: string;
  data: Uint8Array;
}

export interface StoredDoc {
  /** the snapshot (if any) followed by every log row still in the log, oldest first */
  updates: Uint8Array[];
  /** how many log rows there are beyond the snapshot */
  logRows: number;
}

/**
 * PostgreSQL storage of Yjs documents: an append-only update log written by group commit, a
 * snapshot that compaction folds the log into, and named versions.
 */
@Injectable()
export class DocStore implements BeforeApplicationShutdown {
  readonly log: GroupCommit<LogItem>;

  constructor(private readonly em: EntityManager) {
    this.log = new GroupCommit<LogItem>((items) => this.insert(items), { maxBatch: 1000, retryDelaysMs: [50, 100, 250, 500, 1000, 2000, 5000] });
  }

  private get knex() {
    return this.em.getKnex();
  }

  /** Appends one update; resolves once it is committed (and so is everything appended before it). */
  append(docId: string, data: Uint8Array | null): Promise<void> {
    return this.log.push(data ? { docId, data } : null);
  }

  async load(docId: string): Promise<StoredDoc> {
    // One statement, so one view of the database: read as two queries, a compaction committing
    // between them gave the old snapshot without the rows it had just folded and deleted.
    const result = await this.knex.raw<{ rows: { data: Buffer; log: boolean }[] }>(
      `select data, log from (
         select state as data, false as log, 0::bigint as id from doc_snapshot where doc_id = ?
         union all
         select data, true as log, id from doc_update where doc_id = ?
       ) stored order by log, id`,
      [docId, docId],
    );
    const updates = result.rows.map((r) => new Uint8Array(r.data));
    return { updates, logRows: result.rows.filter((r) => r.log).length };
  }

  /** The document's stored state as one update: what PostgreSQL alone says the document is. */
  async loadState(docId: string): Promise<Uint8Array> {
    const { updates } = await this.load(docId);
    const doc = new Y.Doc();
    Y.transact(doc, () => updates.forEach((u) => Y.applyUpdate(doc, u)));
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return state;
  }

  /**
   * Folds the log into the snapshot. Reads the committed rows, writes the merged snapshot and
   * deletes exactly those rows in one transaction; rows committed meanwhile stay in the log.
   * An advisory lock keeps two nodes from folding the same document at once. Merging goes
   * through a Y.Doc (Y.mergeUpdates slows sharply with many updates).
   */
  async compact(docId: string): Promise<{ folded: number }> {
    return this.knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`doc:${docId}`]);
      const rows = await trx.raw<{ rows: { id: string; data: Buffer }[] }>('select id, data from doc_update where doc_id = ? order by id', [docId]);
      if (!rows.rows.length) return { folded: 0 };
      const snapshot = await trx.raw<{ rows: { state: Buffer; folded_updates: number }[] }>('select state, folded_updates from doc_snapshot where doc_id = ?', [docId]);
      const doc = new Y.Doc();
      Y.transact(doc, () => {
        for (const s of snapshot.rows) Y.applyUpdate(doc, s.state);
        for (const r of rows.rows) Y.applyUpdate(doc, r.data);
      });
      const state = Buffer.from(Y.encodeStateAsUpdate(doc));
      doc.destroy();
      const folded = (snapshot.rows[0]?.folded_updates ?? 0) + rows.rows.length;
      await trx.raw(
        `insert into doc_snapshot (doc_id, state, folded_updates, updated_at) values (?, ?, ?, now())
         on conflict (doc_id) do update set state = excluded.state, folded_updates = excluded.folded_updates, updated_at = now()`,
        [docId, state, folded],
      );
      await trx.raw('delete from doc_update where id = any(?::bigint[])', [`{${rows.rows.map((r) => r.id).join(',')}}`]);
      await trx.raw('update doc set last_edited_at = now() where id = ?', [docId]);
      return { folded: rows.rows.length };
    });
  }

  async logRowCount(docId: string): Promise<number> {
    const r = await this.knex.raw<{ rows: { n: string }[] }>('select count(*) as n from doc_update where doc_id = ?', [docId]);
    return Number(r.rows[0]?.n ?? 0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Whatever was accepted goes to the database before the pool closes.
    await this.log.barrier();
  }

  private async insert(items: LogItem[]): Promise<void> {
    const values = items.map(() => '(?, ?, now())').join(', ');
    const bindings = items.flatMap((i) => [i.docId, Buffer.from(i.data.buffer, i.data.byteOffset, i.data.byteLength)]);
    await this.knex.raw(`insert into doc_update (doc_id, data, created_at) values ${values}`, bindings);
  }
}
