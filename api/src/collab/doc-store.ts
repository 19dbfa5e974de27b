import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import * as Y from 'yjs';
import { DATABASE_TARGET } from '../database/database.tokens';
import type { DatabaseTarget } from '../database/embedded';
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
 * One statement for any batch size: the same text every time, prepared once per connection (a
 * named statement: later batches send only Bind/Execute, which cut the writer's Node CPU per
 * one-row batch by roughly a third to a half here, and PostgreSQL's parse/plan with it);
 * ordinality keeps ids in push order (the log is read back `order by id`).
 */
const INSERT_LOG = `insert into doc_update (doc_id, data, created_at)
  select d, b, now() from unnest($1::uuid[], $2::bytea[]) with ordinality as t(d, b, n) order by n`;

/**
 * PostgreSQL storage of Yjs documents: an append-only update log written by group commit, a
 * snapshot that compaction folds the log into, and named versions.
 *
 * The log is written on a connection of its own (a one-connection pg pool, which reconnects by
 * itself after an error) with one constant statement: the ORM's path (knex formatting a
 * placeholder list per batch, a pool acquire per batch) cost about 1.4–2× the Node CPU per
 * batch (measured: ~117 vs ~84 µs for one row, ~156 vs ~74 µs for four). Everything else goes
 * through the ORM's pool as before.
 */
@Injectable()
export class DocStore implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly log: GroupCommit<LogItem>;
  private readonly logger = new Logger('DocStore');
  private readonly writer: pg.Pool;

  constructor(
    private readonly em: EntityManager,
    @Inject(DATABASE_TARGET) target: DatabaseTarget,
  ) {
    // idleTimeoutMillis 0: keep the connection; the writer is busy whenever anyone edits.
    this.writer = new pg.Pool({ connectionString: target.url, max: 1, idleTimeoutMillis: 0 });
    // A connection lost while idle (database restart) is dropped from the pool and replaced on the next write.
    this.writer.on('error', (error) => this.logger.warn(`update log connection: ${error.message}`));
    this.log = new GroupCommit<LogItem>((items) => this.insert(items), { maxBatch: 1000, retryDelaysMs: [50, 100, 250, 500, 1000, 2000, 5000] });
  }

  /** Connects the writer now, so the first edit does not wait for a connection. */
  onApplicationBootstrap(): void {
    this.writer.query('select 1').catch((error: unknown) => this.logger.warn(`update log connection: ${error instanceof Error ? error.message : String(error)}`));
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
   * Folds the log into the snapshot and deletes exactly the rows folded; rows committed meanwhile
   * stay in the log. The merge (Yjs work, proportional to the document) runs before the
   * transaction, in slices that let the event loop breathe, so neither the lock nor the loop is
   * held for its length — on the embedded PGlite an open transaction even stalls every other
   * connection, the update log's included. The transaction then takes an advisory lock (one
   * folder per document across nodes) and writes only if the snapshot is still the one merged
   * from: if another node folded meanwhile, its snapshot already holds these rows and they are
   * gone, so this one gives way. Merging goes through a Y.Doc (Y.mergeUpdates slows sharply with
   * many updates).
   *
   * `openState`, when given, returns the state of an open document that is known to hold the
   * snapshot and every row committed for it so far (or null when it cannot vouch for that any
   * more): then only the row ids are read and that state is written, which skips re-reading and
   * re-applying everything. Its rows are deleted and counted exactly as above.
   */
  async compact(docId: string, openState?: () => Uint8Array | null): Promise<{ folded: number }> {
    if (openState) {
      // Only the ids and the fold count: the open document already holds what the rows hold.
      const read = await this.knex.raw<{ rows: { id: string | null; folded: number | null }[] }>(
        `select id, folded from (
           select null::bigint as id, folded_updates as folded from doc_snapshot where doc_id = ?
           union all
           select id, null from doc_update where doc_id = ?
         ) stored order by id nulls first`,
        [docId, docId],
      );
      const snapshot = read.rows[0]?.id === null ? read.rows[0] : null;
      const rows = snapshot ? read.rows.slice(1) : read.rows;
      if (!rows.length) return { folded: 0 };
      // Taken after the read: every row it saw was applied to the open document before it was appended.
      const state = openState();
      if (state) return this.writeFold(docId, Buffer.from(state), snapshot?.folded ?? null, rows);
    }
    // One statement, so one view (see load).
    const read = await this.knex.raw<{ rows: { id: string | null; data: Buffer; folded: number | null }[] }>(
      `select id, data, folded from (
         select null::bigint as id, state as data, folded_updates as folded from doc_snapshot where doc_id = ?
         union all
         select id, data, null from doc_update where doc_id = ?
       ) stored order by id nulls first`,
      [docId, docId],
    );
    const snapshot = read.rows[0]?.id === null ? read.rows[0] : null;
    const rows = snapshot ? read.rows.slice(1) : read.rows;
    if (!rows.length) return { folded: 0 };
    const state = Buffer.from(await mergeInSlices(snapshot?.data ?? null, rows.map((r) => r.data)));
    return this.writeFold(docId, state, snapshot?.folded ?? null, rows);
  }

  /** Writes the folded state and deletes the rows folded, unless another fold got there first. */
  private writeFold(docId: string, state: Buffer, mergedFrom: number | null, rows: { id: string | null }[]): Promise<{ folded: number }> {
    return this.knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`doc:${docId}`]);
      // folded_updates only grows, with every fold that wrote: unchanged means nobody folded since the read.
      const current = await trx.raw<{ rows: { folded_updates: number }[] }>('select folded_updates from doc_snapshot where doc_id = ?', [docId]);
      if ((current.rows[0]?.folded_updates ?? null) !== mergedFrom) return { folded: 0 };
      await trx.raw(
        `insert into doc_snapshot (doc_id, state, folded_updates, updated_at) values (?, ?, ?, now())
         on conflict (doc_id) do update set state = excluded.state, folded_updates = excluded.folded_updates, updated_at = now()`,
        [docId, state, (mergedFrom ?? 0) + rows.length],
      );
      await trx.raw('delete from doc_update where id = any(?::bigint[])', [`{${rows.map((r) => r.id).join(',')}}`]);
      await trx.raw('update doc set last_edited_at = now() where id = ?', [docId]);
      return { folded: rows.length };
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Whatever was accepted goes to the database before the pool closes.
    await this.log.barrier();
  }

  /** After every beforeApplicationShutdown (the gateway's last writes) and before the database module stops. */
  async onApplicationShutdown(): Promise<void> {
    await this.log.barrier();
    await this.writer.end();
  }

  private async insert(items: LogItem[]): Promise<void> {
    const docIds = items.map((i) => i.docId);
    const data = items.map((i) => Buffer.from(i.data.buffer, i.data.byteOffset, i.data.byteLength));
    // Named: each connection parses and plans it once, then only binds and executes it.
    await this.writer.query({ name: 'tandem_doc_update_insert', text: INSERT_LOG, values: [docIds, data] });
  }
}

/** Rows merged per slice before compaction lets other work run. */
const MERGE_SLICE = 100;

/** The snapshot plus the rows as one update; yields to the event loop between slices of rows. */
async function mergeInSlices(snapshot: Uint8Array | null, rows: Uint8Array[]): Promise<Uint8Array> {
  const doc = new Y.Doc();
  try {
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (let i = 0; i < rows.length; i += MERGE_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      // Yjs keeps anything whose dependencies are in a later slice pending, and integrates it then.
      Y.transact(doc, () => {
        for (const row of rows.slice(i, i + MERGE_SLICE)) Y.applyUpdate(doc, row);
      });
    }
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
