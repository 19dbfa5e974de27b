import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from './protocol.js';

/** The y-protocols framing, in one place for both sides. */

export const SYNC_STEP1 = syncProtocol.messageYjsSyncStep1;
export const SYNC_STEP2 = syncProtocol.messageYjsSyncStep2;
export const SYNC_UPDATE = syncProtocol.messageYjsUpdate;

export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

/** A sync step 2 carrying an already-encoded update (the server's stored state, or what a client's document holds that the server lacks). */
export function syncStep2FromUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, SYNC_STEP2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

export function awarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, awarenessUpdate);
  return encoding.toUint8Array(e);
}

export type DecodedMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array };

/**
 * Decodes one `y` payload without applying anything. Throws on anything that is not exactly one
 * well-formed message (trailing bytes included), so garbage is refused before it touches a doc.
 */
export function decodeMessage(message: Uint8Array): DecodedMessage {
  const d = decoding.createDecoder(message);
  const type = decoding.readVarUint(d);
  let out: DecodedMessage;
  if (type === MESSAGE_SYNC) {
    const sub = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (sub === SYNC_STEP1) out = { type: 'sync-step1', stateVector: payload };
    else if (sub === SYNC_STEP2) out = { type: 'sync-step2', update: payload };
    else if (sub === SYNC_UPDATE) out = { type: 'update', update: payload };
    else throw new Error(`unknown sync message type ${sub}`);
  } else if (type === MESSAGE_AWARENESS) {
    out = { type: 'awareness', update: decoding.readVarUint8Array(d) };
  } else {
    throw new Error(`unknown message type ${type}`);
  }
  if (decoding.hasContent(d)) throw new Error('trailing bytes after the message');
  return out;
}
