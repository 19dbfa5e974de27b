import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';

/**
 * One peer server as its own process: `node peer-server.mjs <kind> <port> [paper-state-file]`.
 * Each runs as its authors document it, in memory, with one addition: documents whose name
 * starts with `paper-` are loaded from the automerge-paper state (read once at start-up, so
 * loading is a Y.applyUpdate from memory — cheaper than Tandem's read from PostgreSQL), and every
 * server unloads a document when its last client leaves, as Tandem does. Prints `ready <port>`.
 */
const [kind, portArg, paperFile] = process.argv.slice(2);
const port = Number(portArg);
const paper = paperFile ? new Uint8Array(readFileSync(paperFile)) : null;
const loadInto = (name, doc) => {
  if (paper && name.startsWith('paper-')) Y.applyUpdate(doc, paper);
};

async function hocuspocus() {
  const { Server } = await import('@hocuspocus/server');
  const server = new Server({
    port,
    address: '127.0.0.1',
    quiet: true,
    stopOnSignals: false,
    async onLoadDocument({ documentName, document }) {
      loadInto(documentName, document);
      return document;
    },
  });
  await server.listen();
}

async function yWebsocket() {
  const { WebSocketServer } = await import('ws');
  const utils = await import('@y/websocket-server/utils');
  // bindState/writeState as a persistence layer: load paper docs, and unload on last leave.
  utils.setPersistence({ provider: null, bindState: (name, doc) => loadInto(name, doc), writeState: async () => {} });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', utils.setupWSConnection);
  const http = createServer((_req, res) => res.end('okay'));
  http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
  await new Promise((r) => http.listen(port, '127.0.0.1', r));
}

async function ySocketIO() {
  const { Server } = await import('socket.io');
  const { YSocketIO } = await import('y-socket.io/dist/server');
  const http = createServer((_req, res) => res.end('okay'));
  const io = new Server(http, { transports: ['websocket'] });
  const ysio = new YSocketIO(io, { gcEnabled: true });
  // The documented hook is levelPersistenceDir (LevelDB); an in-memory persistence object gives
  // the same load/unload behaviour without disk.
  ysio.persistence = { provider: null, bindState: async (name, doc) => loadInto(name, doc), writeState: async () => {} };
  ysio.initialize();
  await new Promise((r) => http.listen(port, '127.0.0.1', r));
}

const start = { hocuspocus, 'y-websocket': yWebsocket, 'y-socket.io': ySocketIO }[kind];
if (!start) throw new Error(`unknown peer ${kind}`);
await start();
// A normal exit on SIGTERM, so --cpu-prof can write its profile.
process.on('SIGTERM', () => process.exit(0));
console.log(`ready ${port}`);
