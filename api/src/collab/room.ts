import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { RefusalReason } from '@tandem/collab-protocol';

/** Bounds on one incoming update, so a single message cannot make the server work for long. */
export const MAX_STRUCTS_PER_UPDATE = 100_000;
export const MAX_DELETE_RANGES_PER_UPDATE = 100_000;
/** How many items checking an update's neighbours may walk past in total (see crossesNeighbours). */
export const MAX_NEIGHBOUR_STEPS = 10_000;
/** An update that took longer than this to apply closes its sender's connection. */
export const SLOW_APPLY_MS = 1_000;

type Decoded = ReturnType<typeof Y.decodeUpdate>;

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
  /** a refused update reached the in-memory doc: it no longer matches what is stored (the room is being reloaded) */
  tainted = false;
  /**
   * Whether compaction may fold from this doc (it holds everything stored for it, as far as this
   * node's writes go): true for a room loaded while no other room of the document was open; false
   * for one made by a reload — it carries over what the tainted room accepted while storage was
   * read (see RoomsService.reload), changes checked against a document that held a refused one,
   * so the stored rows stay the reference for it.
   */
  holdsAllStored = true;
  /** while a reload reads storage: the changes this room accepts meanwhile, for the room that replaces it */
  carry: Uint8Array[] | null = null;
  /** the reload replacing this room, once one started: every refusal while it runs waits for the same one */
  reloading: Promise<Room> | null = null;

  constructor(readonly docId: string, readonly programId: string, stored: Uint8Array[], logRows: number) {
    this.doc = new Y.Doc();
    Y.transact(this.doc, () => stored.forEach((u) => Y.applyUpdate(this.doc, u)));
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    // Remember which socket announced which awareness clients, to clear them when it leaves. A
    // client that reconnects keeps its id, and the room keeps the clock of a state it dropped, so
    // the new connection's first state comes in as "updated", not "added": both count.
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const ids = typeof origin === 'string' ? this.members.get(origin) : undefined;
      if (!ids) return;
      added.forEach((id) => ids.add(id));
      updated.forEach((id) => ids.add(id));
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
    let decoded: Decoded;
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      return { ok: false, reason: 'undecodable', tainted: false };
    }
    const deletes = [...decoded.ds.clients.values()].reduce((n, ranges) => n + ranges.length, 0);
    if (decoded.structs.length > MAX_STRUCTS_PER_UPDATE || deletes > MAX_DELETE_RANGES_PER_UPDATE) return { ok: false, reason: 'too_expensive', tainted: false };
    if (this.missesDependencies(decoded)) return { ok: false, reason: 'missing_dependencies', tainted: false };
    const crossed = this.crossesNeighbours(decoded.structs);
    if (crossed) return { ok: false, reason: crossed === 'too_expensive' ? 'too_expensive' : 'undecodable', tainted: false };

    // An update that is wholly new is its own effective part: no need to have Yjs encode it again.
    const fresh = this.whollyNew(decoded.structs);
    let effective: Uint8Array | null = fresh ? update : null;
    const capture = (u: Uint8Array, o: unknown) => {
      if (o === origin) effective = u;
    };
    if (!fresh) this.doc.on('update', capture);
    const started = performance.now();
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch {
      this.tainted = true;
      return { ok: false, reason: 'undecodable', tainted: true };
    } finally {
      if (!fresh) this.doc.off('update', capture);
    }
    const ms = performance.now() - started;
    if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
      this.tainted = true;
      return { ok: false, reason: 'missing_dependencies', tainted: true };
    }
    return { ok: true, effective, ms };
  }

  /**
   * Whether every struct of the update is new to the document: per client, the structs follow one
   * another exactly and the first starts at the document's clock for that client (no Skip, no
   * overlap). Then applying it integrates all of it, and the received bytes are exactly what the
   * document gained — apart, possibly, from deletions it already had, which every receiver
   * ignores the same way. Only called once missesDependencies has passed.
   */
  private whollyNew(structs: Decoded['structs']): boolean {
    if (!structs.length) return false;
    const next = new Map<number, number>();
    for (const s of structs) {
      if (s instanceof Y.Skip) return false;
      const expected = next.get(s.id.client) ?? Y.getState(this.doc.store, s.id.client);
      if (s.id.clock !== expected) return false;
      next.set(s.id.client, s.id.clock + s.length);
    }
    return true;
  }

  /**
   * Checked before applying, because Yjs integrates what it can and parks the rest as pending,
   * which would change the document and leave it to be reloaded: something the update needs is
   * neither in the document nor in the update itself — a gap in a client's clock sequence, or an
   * item's neighbour or parent, or a deleted range, past what is there.
   */
  private missesDependencies({ structs, ds }: Decoded): boolean {
    // Per client, the clock up to which changes exist once the update's contiguous structs are added.
    const reach = new Map<number, number>();
    const reachOf = (client: number) => reach.get(client) ?? Y.getState(this.doc.store, client);
    for (const s of structs) {
      if (s instanceof Y.Skip) continue;
      if (s.id.clock > reachOf(s.id.client)) return true;
      reach.set(s.id.client, Math.max(reachOf(s.id.client), s.id.clock + s.length));
    }
    const has = (id: Y.ID | null) => id === null || id.clock < reachOf(id.client);
    for (const s of structs) {
      if (s instanceof Y.Item && !(has(s.origin) && has(s.rightOrigin) && (!(s.parent instanceof Y.ID) || has(s.parent)))) return true;
    }
    for (const [client, ranges] of ds.clients) for (const r of ranges) if (r.clock + r.len > reachOf(client)) return true;
    return false;
  }

  /**
   * An item's origin must lie left of its right origin, in the same list. Yjs places an item that
   * breaks this according to how each replica happens to have split its items, so accepting one
   * would leave the room, its clients and the stored state disagreeing for good. Only neighbours
   * already in the document are checked; the walk between them passes only items concurrent with
   * the edit, and is bounded.
   */
  private crossesNeighbours(structs: Decoded['structs']): boolean | 'too_expensive' {
    const store = this.doc.store;
    const resident = (id: Y.ID | null): id is Y.ID => id !== null && id.clock < Y.getState(store, id.client);
    let budget = MAX_NEIGHBOUR_STEPS;
    for (const s of structs) {
      if (!(s instanceof Y.Item) || !resident(s.origin) || !resident(s.rightOrigin)) continue;
      const left: unknown = Y.getItem(store, s.origin);
      const right: unknown = Y.getItem(store, s.rightOrigin);
      // A collected neighbour (GC) is a case Yjs resolves the same way everywhere.
      if (!(left instanceof Y.Item) || !(right instanceof Y.Item)) continue;
      if (left === right) {
        if (s.origin.clock >= s.rightOrigin.clock) return true;
        continue;
      }
      if (left.parent !== right.parent) return true;
      let o = left.right;
      for (; o !== null && o !== right; o = o.right) if (--budget < 0) return 'too_expensive';
      if (o === null) return true;
    }
    return false;
  }

  /**
   * Takes over the presence of the room this one replaces (a reload): who is here, and which
   * connection announced whom, so a person stays shown and is cleared when their connection leaves.
   */
  takeOver(previous: Room): void {
    for (const [socketId, ids] of previous.members) this.members.set(socketId, ids);
    const present = [...previous.awareness.getStates().keys()];
    if (present.length) awarenessProtocol.applyAwarenessUpdate(this.awareness, awarenessProtocol.encodeAwarenessUpdate(previous.awareness, present), null);
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}
