import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { awarenessMessage, updateMessage } from '@tandem/collab-protocol';

/** Sends one `y` message to a document's room on this node, to everyone but `except` (a socket id) when given. */
export type RoomEmit = (docId: string, message: Uint8Array, except: string | null) => void;

interface Queued {
  /** the Yjs update or awareness update (payload, not framed) */
  update: Uint8Array;
  /** the socket it came from; null: the server (nobody to leave out) */
  sender: string | null;
}

interface Pending {
  updates: Queued[];
  awareness: Queued[];
}

/**
 * Coalesces a room's broadcasts per event-loop turn. Everything a room accepted while the loop
 * handled one batch of socket reads goes out as ONE message per kind (document, presence) once
 * the reads are done (setImmediate runs right after the I/O phase, so this adds no waiting):
 * each recipient gets one socket write where it got one per update, and one Yjs transaction to
 * apply. Several edits per turn is exactly the case of many editors at high rates, where the
 * per-recipient write dominated the server's CPU.
 *
 * When a turn's updates all came from one socket, that socket is left out, as before. When they
 * came from several, the merged message goes to the whole room, senders included: a sender gets
 * its own change back, which Yjs ignores (already known, no event, and the provider applies it
 * with itself as origin, so nothing is re-sent or miscounted) — cheaper than merging a separate
 * message per sender.
 */
export class RoomOutbox {
  private readonly pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(private readonly emit: RoomEmit) {}

  /** A document update accepted into the room (its effective part). */
  update(docId: string, update: Uint8Array, sender: string | null): void {
    this.queue(docId).updates.push({ update, sender });
  }

  /** An awareness update applied to the room's presence. */
  awareness(docId: string, update: Uint8Array, sender: string | null): void {
    this.queue(docId).awareness.push({ update, sender });
  }

  /** Sends what is queued for every room now. */
  flushAll(): void {
    for (const docId of [...this.pending.keys()]) this.flush(docId);
  }

  /** Sends what is queued for one room now (before a message that must not overtake it). */
  flush(docId: string): void {
    const pending = this.pending.get(docId);
    if (!pending) return;
    this.pending.delete(docId);
    // The document first: a caret that arrives with (or after) the text it points into resolves at once.
    if (pending.updates.length) this.send(docId, pending.updates, mergeDocUpdates, updateMessage);
    if (pending.awareness.length) this.send(docId, pending.awareness, mergeAwarenessUpdates, awarenessMessage);
  }

  private queue(docId: string): Pending {
    let pending = this.pending.get(docId);
    if (!pending) {
      pending = { updates: [], awareness: [] };
      this.pending.set(docId, pending);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flushAll();
      });
    }
    return pending;
  }

  private send(docId: string, queued: Queued[], merge: (updates: Uint8Array[]) => Uint8Array | null, frame: (update: Uint8Array) => Uint8Array): void {
    const first = queued[0];
    if (queued.length === 1 && first) return this.emit(docId, frame(first.update), first.sender);
    const merged = merge(queued.map((q) => q.update));
    if (!merged) {
      // Not mergeable (cannot happen for what the room accepted; kept so nothing is ever dropped): one by one.
      for (const q of queued) this.emit(docId, frame(q.update), q.sender);
      return;
    }
    const sender = first?.sender ?? null;
    this.emit(docId, frame(merged), sender !== null && queued.every((q) => q.sender === sender) ? sender : null);
  }
}

function mergeDocUpdates(updates: Uint8Array[]): Uint8Array | null {
  try {
    return Y.mergeUpdates(updates);
  } catch {
    return null;
  }
}

/**
 * Awareness updates are a count followed by (client id, clock, state JSON) entries, so several
 * concatenate into one: the summed count, then every entry in order (a later entry for the same
 * client has the higher clock and wins, as it would arriving later). Each is checked to be exactly
 * that shape; anything else is not merged.
 */
export function mergeAwarenessUpdates(updates: Uint8Array[]): Uint8Array | null {
  let count = 0;
  const bodies: Uint8Array[] = [];
  try {
    for (const update of updates) {
      const d = decoding.createDecoder(update);
      const n = decoding.readVarUint(d);
      const start = d.pos;
      for (let i = 0; i < n; i++) {
        decoding.readVarUint(d);
        decoding.readVarUint(d);
        decoding.readVarString(d);
      }
      if (decoding.hasContent(d)) return null;
      count += n;
      bodies.push(update.subarray(start));
    }
  } catch {
    return null;
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, count);
  for (const body of bodies) encoding.writeUint8Array(e, body);
  return encoding.toUint8Array(e);
}
