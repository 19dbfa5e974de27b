import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { binaryParser } from './parser.js';
import { COLLAB_NAMESPACE, PROTOCOL_VERSION, type CollabHandshake } from './protocol.js';
import type { CollabSocket } from './provider.js';

/**
 * Opens the `/collab` namespace with the protocol's parser and version. `origin` is the server
 * (e.g. http://localhost:3000; omit in the browser for the page's own origin). Browsers sign in
 * with the session cookie; scripts pass an API token.
 */
export function connectCollab(origin?: string, options: Partial<ManagerOptions & SocketOptions> & { token?: string } = {}): CollabSocket {
  const { token, ...rest } = options;
  const auth: CollabHandshake = { protocol: PROTOCOL_VERSION, ...(token ? { token } : {}) };
  const url = origin ? `${origin.replace(/\/$/, '')}${COLLAB_NAMESPACE}` : COLLAB_NAMESPACE;
  return io(url, { transports: ['websocket'], parser: binaryParser, auth, withCredentials: true, ...rest }) as CollabSocket;
}

/** The part of a browser's global scope `closeWhenOffline` uses (absent in Node). */
interface OfflineEvents {
  addEventListener?: (type: 'offline', listener: () => void) => void;
  removeEventListener?: (type: 'offline', listener: () => void) => void;
}

/**
 * Closes the socket's connection as soon as the browser says it is offline, so the page shows it
 * at once rather than after socket.io's ping timeout (~45 s); socket.io then retries as after any
 * dropped connection. engine.io-client 6.6 means to do this itself, but for one connection per
 * page only: it removes each connection's listener from the list it is iterating, so the next
 * one is skipped — and a page with a document open has two (`/live` and `/collab`). Returns the
 * undo. A no-op outside a browser.
 */
export function closeWhenOffline(socket: Pick<Socket, 'io'>): () => void {
  const scope = globalThis as OfflineEvents;
  if (!scope.addEventListener || !scope.removeEventListener) return () => undefined;
  const close = () => socket.io.engine?.close();
  scope.addEventListener('offline', close);
  return () => scope.removeEventListener?.('offline', close);
}
