import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { RefusalReason } from '@tandem/collab-protocol';

/** Bounds on one incoming update, so a single message cannot make the server work for long. */
export const MAX_STRUCTS_PER_UPDATE = 100_000;
export const MAX_DELETE_RANGES_PER_UPDATE = 100_000;
/** An update that took longer than this to apply closes its sender's connection. */
export const SLOW_APPLY_MS = 1_000;

export type ApplyResult =
  /** applied; `effective` is what was new to the document (null: nothing was) */
  | { ok: true; effective: Uint8Array | null; ms: number }
  /** refused; when `tainted`, part of it reached the in-memory doc and the room must be reloaded */
  | { ok: false; reason: RefusalReason; tainted: boolean };

/** One open document: its Y.Doc, presence, and the connections that have joined it. */
export class Room {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** socket id → awareness client ids that socket announced (removed when it leaves) */
  readonly members = new Map<string, Set<number>>();
  /** rows written to the log since the last compaction (as far as this node knows) */
  logRows: number;
  edited = false;
  compacting: Promise<unknown> | null = null;

  constructor(readonly docId: string, readonly programId: string, stored: Uint8Array[], logRows: number) {
    this.doc = new Y.Doc();
    Y.transact(this.doc, () => stored.forEach((u) => Y.applyUpdate(this.doc, u)));
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    // Remember which socket announced which awareness clients, to clear them when it leaves.
    this.awareness.on('update', ({ added, removed }: { added: number[]; removed: number[] }, origin: unknown) => {
      const ids = typeof origin === 'string' ? this.members.get(origin) : undefined;
      if (!ids) return;
      added.forEach((id) => ids.add(id));
      removed.forEach((id) => ids.delete(id));
    });
    this.logRows = logRows;
  }

  /**
   * Applies an update from a client, refusing anything that does not decode, is too large to
   * integrate cheaply, or depends on changes the document does not have. Decoding the whole
   * update first matters: Yjs integrates structs before it reads the delete set, so a truncated
   * update would otherwise change the document and then throw.
   */
  apply(update: Uint8Array, origin: unknown): ApplyResult {
    let structs: number;
    let deletes: number;
    try {
      const decoded = Y.decodeUpdate(update);
      structs = decoded.structs.length;
      deletes = [...decoded.ds.clients.values()].reduce((n, ranges) => n + ranges.length, 0);
    } catch {
      return { ok: false, reason: 'undecodable', tainted: false };
    }
    if (structs > MAX_STRUCTS_PER_UPDATE || deletes > MAX_DELETE_RANGES_PER_UPDATE) return { ok: false, reason: 'too_expensive', tainted: false };
    if (this.missesDependencies(update)) return { ok: false, reason: 'missing_dependencies', tainted: false };

    let effective: Uint8Array | null = null;
    const capture = (u: Uint8Array, o: unknown) => {
      if (o === origin) effective = u;
    };
    this.doc.on('update', capture);
    const started = performance.now();
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch {
      return { ok: false, reason: 'undecodable', tainted: true };
    } finally {
      this.doc.off('update', capture);
    }
    const ms = performance.now() - started;
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) return { ok: false, reason: 'missing_dependencies', tainted: true };
    return { ok: true, effective, ms };
  }

  /** A gap in some client's clock sequence: the update starts past what this document has. */
  private missesDependencies(update: Uint8Array): boolean {
    const { from } = Y.parseUpdateMeta(update);
    for (const [client, clock] of from) if (clock > Y.getState(this.doc.store, client)) return true;
    return false;
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}
