import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomsService } from '../src/collab/rooms.service';
import { sameState, startCollabApp, storedDoc, waitFor, waitForStatus, type CollabTestApp, type TestClient } from './collab-harness';

/**
 * Ten real socket.io clients with the real provider, the whole app on port 0, real PostgreSQL.
 * They edit one document at once, so their changes cross in flight: text inserts and deletes at
 * random places, and a map whose keys they fight over.
 */
const EDITORS = ['pm@demo.tandem', 'partner@demo.tandem', 'qa.lead@demo.tandem'];
const ROUNDS = 30;

/** A small seeded generator, so a failing run can be replayed with the same edits. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const content = (doc: Y.Doc) => ({ text: doc.getText('t').toString(), map: doc.getMap('m').toJSON() });

async function edit(client: TestClient, index: number, rand: () => number): Promise<void> {
  const text = client.doc.getText('t');
  const map = client.doc.getMap('m');
  for (let round = 0; round < ROUNDS; round++) {
    const roll = rand();
    if (roll < 0.5) text.insert(Math.floor(rand() * (text.length + 1)), `<${index}.${round}>`);
    else if (roll < 0.65 && text.length > 4) text.delete(Math.floor(rand() * (text.length - 3)), 3);
    else if (roll < 0.9) map.set(`k${Math.floor(rand() * 5)}`, { by: index, round });
    else map.delete(`k${Math.floor(rand() * 5)}`);
    // Let remote updates arrive between local ones, so edits are made on differing states.
    await new Promise((r) => setTimeout(r, Math.floor(rand() * 8)));
  }
}

describe('collab: many clients converge', () => {
  let t: CollabTestApp;
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ten clients editing text and a map at once converge; a late joiner gets it all; the room unloads and storage holds the same state', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const clients: TestClient[] = [];
    for (let i = 0; i < 10; i++) clients.push(await t.client(EDITORS[i % EDITORS.length] ?? 'pm@demo.tandem', docId));
    await Promise.all(clients.map((c) => waitForStatus(c, 'saved')));

    await Promise.all(clients.map((c, i) => edit(c, i, random(1000 + i))));

    const [first] = clients;
    if (!first) throw new Error('no clients');
    await waitFor(() => clients.every((c) => c.provider.status === 'saved' && sameState(c.doc, first.doc)), 15_000, 'ten clients saved and identical');
    for (const c of clients) expect(content(c.doc)).toEqual(content(first.doc));
    // Every client's edits reached the converged document: one state-vector entry per client.
    expect(Y.decodeStateVector(Y.encodeStateVector(first.doc)).size).toBe(clients.length);
    expect(first.doc.getText('t').length).toBeGreaterThan(0);
    expect(Object.keys(first.doc.getMap('m').toJSON()).length).toBeGreaterThan(0);

    const late = await t.client('qa.lead@demo.tandem', docId);
    await waitForStatus(late, 'saved');
    expect(sameState(late.doc, first.doc)).toBe(true);
    expect(content(late.doc)).toEqual(content(first.doc));

    const rooms = t.app.get(RoomsService);
    const room = rooms.get(docId);
    expect(room && sameState(room.doc, first.doc)).toBe(true);
    for (const c of [...clients, late]) c.close();
    await waitFor(() => rooms.openRooms === 0, 10_000, 'the room to unload');

    const stored = await storedDoc(t, docId);
    expect(sameState(stored, first.doc)).toBe(true);
    expect(content(stored)).toEqual(content(first.doc));
    // Closing the room folded its log into the snapshot.
    const rows = await t.orm.em.getConnection().execute<{ log: string; snapshots: string }[]>(
      'select (select count(*) from doc_update where doc_id = ?) as log, (select count(*) from doc_snapshot where doc_id = ?) as snapshots',
      [docId, docId],
    );
    expect(rows[0]).toEqual({ log: '0', snapshots: '1' });
  });
});
