import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
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
