// Editing clients for the fault runs: the product's own client (`connectCollab` +
// `CollabProvider` from libs/collab-protocol/dist), signed in with a session cookie, each
// keeping a record of what the server acknowledged, so a run can check PostgreSQL afterwards.
//
// An edit sets key `<editor>:<seq>` in the Y.Map `edits` (soak: `<editor>:<seq mod 16>`, so the
// documents stay the same size). `saved(n)` acknowledges every update-carrying message up to the
// n-th on the connection; a sync step 2 sent after a reconnect carries every local edit the
// server lacks. So each message is recorded with the highest local seq it covers, and an editor's
// acknowledged edits are the prefix 1..acked — which is what the provider's "saved" status means.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APP_ROOT } from './cluster.mjs';

const load = (p) => import(pathToFileURL(join(APP_ROOT, p)).href);
// The lib imports yjs from the root node_modules: use that very instance.
export const Y = await load('node_modules/yjs/dist/yjs.mjs');
const awarenessProtocol = await load('node_modules/y-protocols/awareness.js');
// BENCH_COLLAB_LIB (a directory under the app root holding a built copy of the lib) runs the
// same scenarios with a changed client, to try a fix before making it.
const lib = await load(join(process.env.BENCH_COLLAB_LIB ?? 'libs/collab-protocol/dist', 'index.js'));

const SOAK_KEYS = 16;

export class Editor {
  constructor({ index, url, cookie, docId, soak = false }) {
    Object.assign(this, { index, url, cookie, docId, soak });
    this.seq = 0;
    this.acked = 0;
    this.createdAt = [0]; // seq → ms (performance.now) when the edit was made
    this.ackedAt = []; // { t, seq } each time `acked` moved
    this.epoch = 0;
    this.covers = []; // message n (1-based, this connection) → highest local seq it carries
    this.events = { connects: 0, disconnects: {}, closing: {}, refused: {}, connectErrors: 0, saved: 0 };
    this.closed = false;
    this.timeline = []; // { t, what: 'disconnect' | 'synced' }
    this.doc = new Y.Doc();
    this.map = this.doc.getMap('edits');
  }

  /** Connects and resolves once the first sync is done. */
  open() {
    const socket = lib.connectCollab(this.url, { extraHeaders: { cookie: this.cookie, origin: this.url } });
    this.socket = socket;
    // Registered before the provider's own listener: a new connection numbers its messages from 1.
    socket.on('connect', () => {
      this.epoch += 1;
      this.covers = [0];
      this.events.connects += 1;
    });
    const emit = socket.emit.bind(socket);
    socket.emit = (event, ...args) => {
      const m = args[1];
      if (event === 'y' && m instanceof Uint8Array && m[0] === 0 && (m[1] === 1 || m[1] === 2)) this.covers.push(this.seq);
      return emit(event, ...args);
    };
    socket.on('saved', (docId, n) => {
      if (docId !== this.docId) return;
      this.events.saved += 1;
      const covered = this.covers[Math.min(n, this.covers.length - 1)] ?? 0;
      if (covered > this.acked) {
        this.acked = covered;
        this.ackedAt.push({ t: performance.now(), seq: covered });
      }
    });
    socket.on('connect_error', () => (this.events.connectErrors += 1));
    socket.on('closing', (reason) => {
      this.events.closing[reason] = (this.events.closing[reason] ?? 0) + 1;
      this.lastClosing = reason;
    });
    socket.on('disconnect', (reason) => {
      if (!this.closed) this.timeline.push({ t: performance.now(), what: 'disconnect' });
      this.events.disconnects[reason] = (this.events.disconnects[reason] ?? 0) + 1;
      // The protocol says `server_shutdown` means "reconnect", but CollabProvider only retries
      // after an `error` refusal, and socket.io does not reconnect after a server-side
      // disconnect: a real client has to do it, so this one does (after a short jitter).
      if (reason === 'io server disconnect' && this.lastClosing === 'server_shutdown' && !this.closed) {
        this.lastClosing = null;
        setTimeout(() => !this.closed && !socket.connected && socket.connect(), 100 + Math.random() * 400);
      }
    });
    const awareness = new awarenessProtocol.Awareness(this.doc);
    awareness.setLocalState(null);
    this.provider = new lib.CollabProvider({ socket, docId: this.docId, doc: this.doc, awareness });
    this.provider.on('refused', (reason) => (this.events.refused[reason] = (this.events.refused[reason] ?? 0) + 1));
    this.provider.on('synced', () => this.timeline.push({ t: performance.now(), what: 'synced' }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`editor ${this.index} did not sync within 30 s`)), 30_000);
      this.provider.on('synced', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  edit() {
    this.seq += 1;
    this.createdAt[this.seq] = performance.now();
    const key = this.soak ? `${this.index}:${this.seq % SOAK_KEYS}` : `${this.index}:${this.seq}`;
    this.map.set(key, this.seq);
  }

  /** Whether this editor holds `other`'s edit number `seq` (Yjs integrates a client's edits in order). */
  has(other, seq) {
    if (seq === 0) return true;
    if (!this.soak) return this.map.has(`${other.index}:${seq}`);
    const v = this.map.get(`${other.index}:${seq % SOAK_KEYS}`);
    return typeof v === 'number' && v >= seq;
  }

  get saved() {
    return this.provider.status === 'saved' && this.acked === this.seq;
  }

  /** After a moment: when this editor lost its connection and when it was synced again (null: not affected). */
  outageAfter(t) {
    const lost = this.timeline.find((x) => x.what === 'disconnect' && x.t >= t);
    if (!lost) return null;
    const back = this.timeline.find((x) => x.what === 'synced' && x.t > lost.t);
    return { lostMs: lost.t - t, backMs: back ? back.t - t : null };
  }

  stateVector() {
    return Buffer.from(Y.encodeStateVector(this.doc)).toString('base64');
  }

  close() {
    this.closed = true;
    this.provider.destroy();
    this.socket.disconnect();
  }
}

/**
 * Which of an editor's acknowledged edits are missing from a stored document state (a Y.Doc
 * built from PostgreSQL alone). Returns the missing seqs.
 */
export function missingAcked(editor, storedMap) {
  const missing = [];
  if (!editor.soak) {
    for (let s = 1; s <= editor.acked; s++) if (!storedMap.has(`${editor.index}:${s}`)) missing.push(s);
    return missing;
  }
  if (editor.acked === 0) return missing;
  const v = storedMap.get(`${editor.index}:${editor.acked % SOAK_KEYS}`);
  if (!(typeof v === 'number' && v >= editor.acked)) missing.push(editor.acked);
  return missing;
}

/** A document as PostgreSQL alone has it: the snapshot, then the log rows, applied with Yjs. */
export async function storedDoc(dbQuery, docId) {
  const rows = await dbQuery(
    `select data from (
       select state as data, 0 as part, 0::bigint as id from doc_snapshot where doc_id = $1
       union all
       select data, 1 as part, id from doc_update where doc_id = $1
     ) s order by part, id`,
    [docId],
  );
  const doc = new Y.Doc();
  Y.transact(doc, () => rows.forEach((r) => Y.applyUpdate(doc, new Uint8Array(r.data))));
  return doc;
}
