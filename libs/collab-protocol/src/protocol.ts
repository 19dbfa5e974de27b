/**
 * The Tandem collaboration wire protocol, written once and imported by the server and every
 * client. Bump PROTOCOL_VERSION on any incompatible change; clients send it in the handshake.
 *
 * Namespace `/collab`:
 *  - `join` { docId } → ack JoinAck. The server checks access before it sends a byte of the doc.
 *  - `leave` { docId }.
 *  - `y` (docId, bytes): one y-protocols message — varuint type (0 sync, 1 awareness), then the
 *    payload (sync step 1, sync step 2 or update; or an awareness update).
 *  - `saved` (docId, n): every update-carrying sync message (step 2 or update) this connection
 *    sent for that doc, up to and including the n-th (counting from 1), is durably stored.
 *  - `error` (docId, reason): the server refused something; a refusal that ends the connection is
 *    followed by a disconnect, with `closing` (reason) sent first.
 */
export const PROTOCOL_VERSION = 1;
export const COLLAB_NAMESPACE = '/collab';

/** y-protocols message types (the first varuint of every `y` payload). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;

/** Largest `y` payload the server accepts by default (bytes). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

export const REFUSAL_REASONS = [
  /** not signed in, or the session ended */
  'unauthorized',
  /** the document does not exist or the person may not read it (the same answer for both) */
  'not_found',
  /** the connection is read-only for this document (program viewer, leadership) */
  'read_only',
  /** the message is larger than the server's limit */
  'oversized',
  /** the message does not decode as a y-protocols message or a Yjs update */
  'undecodable',
  /** the update references changes the server does not have */
  'missing_dependencies',
  /** the update took too long to apply */
  'too_expensive',
  /** too many messages in a short time */
  'rate_limited',
  /** `y` for a document this connection has not joined */
  'not_joined',
  /** the person lost access while connected */
  'access_revoked',
  /** the document was archived */
  'archived',
  /** the server is shutting down; reconnect */
  'server_shutdown',
  /** the client speaks another protocol version */
  'protocol_mismatch',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Refusals after which the client should not retry the same doc automatically. */
export const FINAL_REASONS: ReadonlySet<RefusalReason> = new Set(['unauthorized', 'not_found', 'access_revoked', 'archived', 'protocol_mismatch']);

export type JoinAck = { ok: true; readOnly: boolean } | { ok: false; error: RefusalReason };

export interface ClientToServerEvents {
  join: (payload: { docId: string }, ack: (result: JoinAck) => void) => void;
  leave: (payload: { docId: string }) => void;
  y: (docId: string, message: Uint8Array) => void;
}

export interface ServerToClientEvents {
  y: (docId: string, message: Uint8Array) => void;
  saved: (docId: string, n: number) => void;
  error: (docId: string | null, reason: RefusalReason) => void;
  /** the connection is about to be closed by the server, and why */
  closing: (reason: RefusalReason) => void;
  /** the connection's access to a doc changed (e.g. downgraded to read-only) */
  access: (docId: string, access: { readOnly: boolean }) => void;
}

/** What the client puts in the socket.io handshake `auth`. */
export interface CollabHandshake {
  protocol: number;
  /** an API token, for scripts; browsers use the session cookie */
  token?: string;
}

/** Provider status shown to people: "Saved" only when the server confirmed everything. */
export type CollabStatus = 'connecting' | 'syncing' | 'saved' | 'unsaved-changes' | 'offline';
