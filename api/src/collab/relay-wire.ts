/**
 * One relay message between api nodes, as raw bytes on a Redis channel (no JSON, no base64):
 *
 *   0      format version (1)
 *   1      kind (see KINDS)
 *   2..17  the sending node's id (16 random bytes, so a node ignores its own messages)
 *   18..33 the document id (its UUID as 16 bytes)
 *   34..   payload: a Yjs update, an awareness update, or nothing
 *
 * The document id travels in the message as well as in the channel name so that a message is
 * self-describing; the receiver drops one whose id does not match the channel it came on.
 */
const VERSION = 1;
const HEADER = 34;

export const KINDS = ['update', 'awareness', 'resync', 'hello'] as const;
/**
 * update: a change the sender accepted and committed. awareness: presence of the sender's
 * clients. resync: "reload this document from PostgreSQL", sent by a node whose updates could not
 * be published while Redis was unreachable. hello: a node opened the room; the others answer with
 * the presence of their clients so the newcomer's clients see every caret at once.
 */
export type RelayKind = (typeof KINDS)[number];

export interface RelayMessage {
  kind: RelayKind;
  node: Uint8Array;
  docId: string;
  payload: Uint8Array;
}

export function encodeRelayMessage(kind: RelayKind, node: Uint8Array, docId: string, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER + payload.byteLength);
  out[0] = VERSION;
  out[1] = KINDS.indexOf(kind);
  out.set(node.subarray(0, 16), 2);
  out.write(docId.replace(/-/g, ''), 18, 16, 'hex');
  out.set(payload, HEADER);
  return out;
}

/** null: not a message this version understands (a newer node during a rolling upgrade, or noise). */
export function decodeRelayMessage(data: Buffer): RelayMessage | null {
  if (data.byteLength < HEADER || data[0] !== VERSION) return null;
  const kind = KINDS[data[1] ?? -1];
  if (!kind) return null;
  const hex = data.toString('hex', 18, HEADER);
  const docId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { kind, node: data.subarray(2, 18), docId, payload: data.subarray(HEADER) };
}
