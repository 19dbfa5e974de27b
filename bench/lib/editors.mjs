// Editing clients for the fault runs: the product's own client (`connectCollab` +
// `CollabProvider` from libs/collab-protocol/dist), signed in with a session cookie, each
// keeping a record of what the server acknowledged, so a run can check PostgreSQL afterwards.
//
// An edit sets key `<editor>:<seq>` in the Y.Map `edits`. Soak edits keep the documents' size
// bounded: `text` types one character at the end of the editor's own Y.Text and deletes the
// oldest once it is 32 long (deleted runs merge in Yjs); `map` overwrites `<editor>:<seq mod 16>`
// (every overwritten map entry stays in the document as a tombstone, so that one grows). `saved(n)` acknowledges every update-carrying message up to the
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
const TEXT_WINDOW = 32;

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
    this.text = this.doc.getText(`t${index}`);
    this.clockAt = [0]; // seq → this client's Yjs clock after the edit
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
      // `server_shutdown` means "reconnect" and socket.io does not reconnect after a server-side
      // disconnect. CollabProvider now does it itself; this stays for app roots (BENCH_APP_ROOT)
      // whose provider predates that (a second connect() while one is under way does nothing).
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
    if (this.soak === 'text') {
      // One transaction, so one update message.
      Y.transact(this.doc, () => {
        this.text.insert(this.text.length, String.fromCharCode(97 + (this.seq % 26)));
        if (this.text.length > TEXT_WINDOW) this.text.delete(0, 1);
      });
    } else {
      const key = this.soak === 'map' ? `${this.index}:${this.seq % SOAK_KEYS}` : `${this.index}:${this.seq}`;
      this.map.set(key, this.seq);
    }
    this.clockAt[this.seq] = Y.getState(this.doc.store, this.doc.clientID);
  }

  /**
   * Whether this editor holds `other`'s edit number `seq`: its Yjs clock for the other's client id
   * has reached the clock that edit left (Yjs integrates a client's changes in order).
   */
  has(other, seq) {
    if (seq === 0) return true;
    return Y.getState(this.doc.store, other.doc.clientID) >= other.clockAt[seq];
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
export function missingAcked(editor, stored) {
  const missing = [];
  if (!editor.soak) {
    // Every key, one by one.
    const map = stored.getMap('edits');
    for (let s = 1; s <= editor.acked; s++) if (!map.has(`${editor.index}:${s}`)) missing.push(s);
    return missing;
  }
  // Overwritten keys and deleted characters leave no per-edit trace: compare clocks instead.
  if (editor.acked > 0 && Y.getState(stored.store, editor.doc.clientID) < editor.clockAt[editor.acked]) missing.push(editor.acked);
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
