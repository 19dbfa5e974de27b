import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomsService } from '../src/collab/rooms.service';
import { sameState, startCollabApp, storedDoc, waitFor, waitForStatus, type CollabTestApp, type TestClient } from './collab-harness';

/**
 * Real human editing histories (../shared/traces, see its README) replayed through the server.
 * Real: PostgreSQL, the whole app on port 0, socket.io clients with the real provider.
 *
 * The per-socket update limit is raised to 2,000/s (burst 4,000) for this file: the writer sends
 * a trace as fast as Yjs can produce it, batched into transactions of PATCHES_PER_UPDATE patches,
 * and we are measuring the server, not the limiter (collab-hostile.spec.ts tests the limiter).
 */
const TRACES = '/work/shared/traces';
const PATCHES_PER_UPDATE = 250;
/** concurrent traces: each agent's pending edits go to the server every this many transactions */
const TXNS_PER_FLUSH = 100;

type Patch = [pos: number, del: number, ins: string];
interface Txn {
  patches: Patch[];
  agent?: number;
  parents?: number[];
}
interface Trace {
  endContent: string;
  numAgents?: number;
  txns: Txn[];
}

const load = (name: string): Trace => JSON.parse(gunzipSync(readFileSync(`${TRACES}/${name}.json.gz`)).toString('utf8')) as Trace;
const text = (doc: Y.Doc) => doc.getText('t').toString();
const ms = (since: number) => Math.round(performance.now() - since);
const tick = () => new Promise((r) => setImmediate(r));

// The traces hold no characters outside the BMP, so code-point positions are UTF-16 indices.
function applyPatches(t: Y.Text, patches: Patch[]): void {
  for (const [pos, del, ins] of patches) {
    if (del) t.delete(pos, del);
    if (ins) t.insert(pos, ins);
  }
}

describe('collab: real editing traces through the server', () => {
  let t: CollabTestApp;
  const timings: Record<string, number> = {};
  beforeAll(async () => {
    t = await startCollabApp({ COLLAB_UPDATES_PER_SECOND: '2000' });
  });
  afterAll(async () => {
    await t?.close();
    console.info('trace replay timings (ms):', timings);
  });

  it('automerge-paper: all 259,778 edits from one client reach a second client and storage as exactly endContent', async () => {
    const trace = load('automerge-paper');
    expect(trace.txns).toHaveLength(259_778);
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const writer = await t.client('pm@demo.tandem', docId);
    const reader = await t.client('partner@demo.tandem', docId);
    await Promise.all([waitForStatus(writer, 'saved'), waitForStatus(reader, 'saved')]);

    const started = performance.now();
    const ytext = writer.doc.getText('t');
    let batch: Patch[] = [];
    for (const txn of trace.txns) {
      batch.push(...txn.patches);
      if (batch.length >= PATCHES_PER_UPDATE) {
        const patches = batch;
        writer.doc.transact(() => applyPatches(ytext, patches));
        batch = [];
        await tick();
      }
    }
    writer.doc.transact(() => applyPatches(ytext, batch));
    timings.automergeSent = ms(started);
    expect(text(writer.doc)).toBe(trace.endContent);

    await waitFor(() => text(reader.doc).length === trace.endContent.length && text(reader.doc) === trace.endContent, 30_000, 'the reader to hold endContent');
    timings.automergeAtReader = ms(started);
    await waitForStatus(writer, 'saved', 30_000);
    timings.automergeSaved = ms(started);
    expect(sameState(reader.doc, writer.doc)).toBe(true);

    let since = performance.now();
    const stored = await storedDoc(t, docId);
    timings.automergeLoadFromLog = ms(since);
    expect(text(stored)).toBe(trace.endContent);

    // Closing the room folds the log into one snapshot; a newcomer then syncs the whole history.
    writer.close();
    reader.close();
    since = performance.now();
    await waitFor(() => t.app.get(RoomsService).openRooms === 0, 30_000, 'the room to unload');
    timings.automergeCompactOnClose = ms(since);
    since = performance.now();
    const fromSnapshot = await storedDoc(t, docId);
    timings.automergeLoadFromSnapshot = ms(since);
    expect(text(fromSnapshot)).toBe(trace.endContent);
    since = performance.now();
    const newcomer = await t.client('qa.lead@demo.tandem', docId);
    await waitForStatus(newcomer, 'saved', 30_000);
    timings.automergeColdFirstSync = ms(since);
    expect(text(newcomer.doc)).toBe(trace.endContent);
    newcomer.close();
  }, 60_000);

  for (const name of ['clownschool', 'friendsforever']) {
    it(`${name}: its authors, each on their own connection, converge to endContent`, async () => {
      const trace = load(name);
      const agents = trace.numAgents ?? 0;
      expect(agents).toBeGreaterThanOrEqual(2);
      const docId = await t.createDoc('pm@demo.tandem', 'QA');
      const emails = ['pm@demo.tandem', 'partner@demo.tandem', 'qa.lead@demo.tandem'];
      const clients: TestClient[] = [];
      for (let a = 0; a < agents; a++) clients.push(await t.client(emails[a] ?? 'pm@demo.tandem', docId));
      await Promise.all(clients.map((c) => waitForStatus(c, 'saved')));

      const started = performance.now();
      const replay = new ConcurrentReplay(trace);
      for (let i = 0; i < trace.txns.length; i++) {
        replay.apply(i);
        if (i % TXNS_PER_FLUSH === TXNS_PER_FLUSH - 1 || i === trace.txns.length - 1) {
          clients.forEach((c, a) => replay.flush(a, c.doc));
          await tick();
        }
      }
      timings[`${name}Sent`] = ms(started);
      await waitFor(() => clients.every((c) => c.provider.status === 'saved' && text(c.doc) === trace.endContent), 30_000, `${name}: every client at endContent and saved`);
      timings[`${name}Converged`] = ms(started);
      for (const c of clients) expect(sameState(c.doc, clients[0]?.doc ?? c.doc)).toBe(true);
      expect(text(await storedDoc(t, docId))).toBe(trace.endContent);
      for (const c of clients) c.close();
    }, 60_000);
  }
});

/**
 * Replays a concurrent trace faithfully: each author edits a document of their own that holds
 * exactly what they had seen (the transitive parents of each transaction), as the editing-traces
 * README describes. Authors get client ids in agent order (1, 2, 3), so Yjs breaks ties between
 * concurrent inserts at one position the way the trace's endContent was made.
 */
class ConcurrentReplay {
  private readonly replicas: { doc: Y.Doc; seen: Set<number> }[];
  private readonly updates: Uint8Array[] = [];

  constructor(private readonly trace: Trace) {
    this.replicas = Array.from({ length: trace.numAgents ?? 0 }, (_, a) => {
      const doc = new Y.Doc();
      doc.clientID = a + 1;
      return { doc, seen: new Set<number>() };
    });
  }

  apply(i: number): void {
    const txn = this.trace.txns[i];
    const replica = this.replicas[txn?.agent ?? -1];
    if (!txn || !replica) throw new Error(`transaction ${i} names no known agent`);
    // What this author had seen but not yet merged: parents not yet seen, and their ancestors.
    const missing: number[] = [];
    const stack = [...(txn.parents ?? [])];
    for (let j = stack.pop(); j !== undefined; j = stack.pop()) {
      if (replica.seen.has(j)) continue;
      replica.seen.add(j);
      missing.push(j);
      stack.push(...(this.trace.txns[j]?.parents ?? []));
    }
    missing.sort((x, y) => x - y);
    Y.transact(replica.doc, () => missing.forEach((j) => this.updates[j] && Y.applyUpdate(replica.doc, this.updates[j])));
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array) => (update = u);
    replica.doc.on('update', capture);
    replica.doc.transact(() => applyPatches(replica.doc.getText('t'), txn.patches));
    replica.doc.off('update', capture);
    if (update) this.updates[i] = update;
    replica.seen.add(i);
  }

  /**
   * Hands an author's new edits to their connected client doc, which sends them to the server.
   * The diff also carries what the author had merged from others and the client has not heard
   * from the server yet, so the client never holds an edit whose dependencies it lacks.
   */
  flush(agent: number, clientDoc: Y.Doc): void {
    const replica = this.replicas[agent];
    if (!replica) return;
    Y.applyUpdate(clientDoc, Y.encodeStateAsUpdate(replica.doc, Y.encodeStateVector(clientDoc)));
  }
}
