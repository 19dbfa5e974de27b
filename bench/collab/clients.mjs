import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * One client per server, each the server's own provider library, behind one small interface so the
 * harness drives them all the same way: `open()` → { doc, Y, synced, close, savedHook? }.
 * Presence is switched off everywhere (awareness with a null local state): awareness renewals
 * from hundreds of idle clients would otherwise swamp what is measured, and they cost each
 * server the same kind of work.
 */
const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(here, '..', '..');

export const SERVER_KINDS = ['tandem', 'hocuspocus', 'y-websocket', 'y-socket.io'];

/** Loads the modules a kind needs once per process (Tandem's from the product's own tree). */
export async function loadKind(kind) {
  if (kind === 'tandem') {
    // The product's lib imports yjs from the root node_modules: use that same instance.
    const Y = await import(pathToFileURL(join(ROOT, 'node_modules/yjs/dist/yjs.mjs')).href);
    const awareness = await import(pathToFileURL(join(ROOT, 'node_modules/y-protocols/awareness.js')).href);
    const lib = await import(pathToFileURL(join(ROOT, 'libs/collab-protocol/dist/index.js')).href);
    return { Y, open: (o) => openTandem(Y, awareness, lib, o) };
  }
  const Y = await import('yjs');
  const { Awareness } = await import('y-protocols/awareness');
  const quietAwareness = (doc) => {
    const a = new Awareness(doc);
    a.setLocalState(null);
    return a;
  };
  if (kind === 'hocuspocus') {
    const { HocuspocusProvider } = await import('@hocuspocus/provider');
    const { WebSocket } = await import('ws');
    return { Y, open: (o) => openHocuspocus(Y, quietAwareness, HocuspocusProvider, WebSocket, o) };
  }
  if (kind === 'y-websocket') {
    const { WebsocketProvider } = await import('y-websocket');
    const { WebSocket } = await import('ws');
    return { Y, open: (o) => openYWebsocket(Y, quietAwareness, WebsocketProvider, WebSocket, o) };
  }
  if (kind === 'y-socket.io') {
    const { SocketIOProvider } = await import('y-socket.io');
    return { Y, open: (o) => openYSocketIO(Y, quietAwareness, SocketIOProvider, o) };
  }
  throw new Error(`unknown server kind ${kind}`);
}

function deferred() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Tandem: connectCollab + CollabProvider from the built @tandem/collab-protocol, signed in with
 * the session cookie. `savedHook(fn)` reports each `saved(n)` with the numbers of the update
 * messages this connection sent, so the harness can time edit → durable acknowledgement.
 */
function openTandem(Y, awarenessProtocol, lib, { url, docName, cookie, doc = new Y.Doc() }) {
  const socket = lib.connectCollab(url, { extraHeaders: { cookie }, reconnection: false });
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null);
  const synced = deferred();
  const connected = deferred();
  socket.on('connect', () => connected.resolve());
  let sent = 0;
  let onSend = null;
  const emit = socket.emit.bind(socket);
  // Count update-carrying sync messages exactly as the provider numbers them (protocol.ts).
  socket.emit = (event, ...args) => {
    if (event === 'y' && args[1] instanceof Uint8Array && args[1][0] === 0 && (args[1][1] === 1 || args[1][1] === 2)) {
      sent += 1;
      onSend?.(sent);
    }
    return emit(event, ...args);
  };
  const provider = new lib.CollabProvider({ socket, docId: docName, doc, awareness, retryDelayMs: 60_000 });
  provider.on('synced', () => synced.resolve());
  provider.on('refused', (reason) => synced.resolve(Promise.reject(new Error(`tandem refused: ${reason}`))));
  socket.on('connect_error', (e) => synced.resolve(Promise.reject(e)));
  return {
    doc,
    connected: connected.promise,
    synced: synced.promise,
    // client-cost.mjs: a server frame as this client's WebSocket would hand it over, and handing it over
    frame: (update) => Buffer.from(lib.encodeBinaryPacket({ type: 2, nsp: '/collab', data: ['y', docName, lib.updateMessage(update)] })),
    receive: (frame) => socket.io.engine.transport.onData(frame),
    savedHook(onSent, onSaved) {
      onSend = onSent;
      socket.on('saved', (_docId, n) => onSaved(n));
    },
    close() {
      provider.destroy();
      socket.disconnect();
    },
  };
}

function openHocuspocus(Y, quietAwareness, HocuspocusProvider, WebSocket, { url, docName, doc = new Y.Doc() }) {
  const synced = deferred();
  const connected = deferred();
  const provider = new HocuspocusProvider({
    url,
    name: docName,
    document: doc,
    awareness: quietAwareness(doc),
    WebSocketPolyfill: WebSocket,
    onSynced: () => synced.resolve(),
    onOpen: () => connected.resolve(),
    // The harness never wants a reconnect mid-measurement.
    messageReconnectTimeout: 600_000,
  });
  return { doc, connected: connected.promise, synced: synced.promise, close: () => provider.destroy() };
}

function openYWebsocket(Y, quietAwareness, WebsocketProvider, WebSocket, { url, docName, doc = new Y.Doc() }) {
  const synced = deferred();
  const connected = deferred();
  const provider = new WebsocketProvider(url, docName, doc, { WebSocketPolyfill: WebSocket, awareness: quietAwareness(doc), disableBc: true, resyncInterval: -1 });
  provider.on('status', ({ status }) => status === 'connected' && connected.resolve());
  provider.on('sync', (isSynced) => isSynced && synced.resolve());
  const frame = (update) => {
    const message = new Uint8Array(update.length + 8);
    message[0] = 0; // sync
    message[1] = 2; // update
    let at = 2;
    let n = update.length;
    while (n > 127) {
      message[at++] = (n & 127) | 128;
      n >>>= 7;
    }
    message[at++] = n;
    message.set(update, at);
    return message.buffer.slice(0, at + update.length);
  };
  const receive = (data) => provider.ws.onmessage({ data });
  return { doc, connected: connected.promise, synced: synced.promise, frame, receive, close: () => provider.destroy() };
}

function openYSocketIO(Y, quietAwareness, SocketIOProvider, { url, docName, doc = new Y.Doc() }) {
  const synced = deferred();
  const connected = deferred();
  const provider = new SocketIOProvider(url, docName, doc, { autoConnect: true, awareness: quietAwareness(doc), disableBc: true, resyncInterval: -1 }, { transports: ['websocket'], reconnection: false });
  provider.socket.on('connect', () => connected.resolve());
  provider.on('sync', (isSynced) => isSynced && synced.resolve());
  return { doc, connected: connected.promise, synced: synced.promise, close: () => provider.destroy() };
}
