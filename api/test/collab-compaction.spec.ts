import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocStore } from '../src/collab/doc-store';
import { RoomsService } from '../src/collab/rooms.service';
import { ackLog, holdsAll, sameState, startCollabApp, waitFor, waitForStatus, type AckLog, type CollabTestApp, type TestClient } from './collab-harness';

/**
 * Compaction folds the update log into the snapshot while clients keep writing. Real: PostgreSQL,
 * the whole app on port 0 with a low compaction threshold (every 20 log rows), socket.io clients
 * with the real provider.
 */
const EDITORS = ['pm@demo.tandem', 'partner@demo.tandem', 'qa.lead@demo.tandem', 'pm@demo.tandem'];
const EDITS_PER_CLIENT = 150;

const content = (doc: Y.Doc) => ({ text: doc.getText('t').toString(), map: doc.getMap('m').toJSON() });

async function edit(client: TestClient, index: number): Promise<void> {
  const text = client.doc.getText('t');
  for (let i = 0; i < EDITS_PER_CLIENT; i++) {
    if (i % 10 === 9) client.doc.getMap('m').set(`c${index}`, i);
    else if (i % 7 === 6 && text.length > 10) text.delete((i * 13) % (text.length - 2), 2);
    else text.insert((i * 31 + index) % (text.length + 1), `${index}:${i};`);
    // Paced a little, so updates land in many separate commits and compaction runs between them.
    await new Promise((r) => setTimeout(r, 2 + (i % 3)));
  }
}

describe('collab: compaction under concurrent edits', () => {
  let t: CollabTestApp;
  beforeAll(async () => {
    t = await startCollabApp({ COLLAB_COMPACT_AFTER: '20' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('loses nothing: every acknowledged edit is stored at every moment, and storage ends equal to every client', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const store = t.app.get(DocStore);
    const clients: TestClient[] = [];
    const logs: AckLog[] = [];
    for (const email of EDITORS) {
      const c = await t.client(email, docId);
      logs.push(ackLog(c.socket, docId));
      clients.push(c);
    }
    await Promise.all(clients.map((c) => waitForStatus(c, 'saved')));
    const rowsBefore = store.log.stats.items;
    const foldedSoFar = async () => {
      const rows = await t.orm.em.getConnection().execute<{ folded: number }[]>('select folded_updates as folded from doc_snapshot where doc_id = ?', [docId]);
      return Number(rows[0]?.folded ?? 0);
    };

    // While the clients write, read the stored state again and again: whatever the server had
    // acknowledged before a read started must be in what the read returns, compaction or not.
    let editing = true;
    let reads = 0;
    const gaps: string[] = [];
    const snapshots = new Set<number>();
    const reader = (async () => {
      while (editing) {
        const acknowledged = logs.flatMap((l) => [...l.acknowledged]);
        const stored = new Y.Doc();
        Y.applyUpdate(stored, await store.loadState(docId));
        if (!holdsAll(stored, acknowledged)) gaps.push(`read ${reads}: ${acknowledged.length} acknowledged updates, some missing from storage`);
        reads += 1;
        snapshots.add(await foldedSoFar());
      }
    })();
    await Promise.all(clients.map((c, i) => edit(c, i)));
    const [first] = clients;
    if (!first) throw new Error('no clients');
    await waitFor(() => clients.every((c) => c.provider.status === 'saved' && sameState(c.doc, first.doc)), 15_000, 'clients saved and identical');
    editing = false;
    await reader;
    expect(gaps).toEqual([]);
    expect(reads).toBeGreaterThan(5);

    // Compaction ran again and again (the reader saw the snapshot change many times), and between
    // the snapshot and the log every row written is accounted for exactly once.
    expect(snapshots.size).toBeGreaterThanOrEqual(5);
    // One statement, one snapshot: a compaction that commits between two reads would count its rows twice.
    const [counts] = await t.orm.em
      .getConnection()
      .execute<{ log: string; folded: number | null }[]>(
        'select (select count(*) from doc_update where doc_id = ?) as log, (select folded_updates from doc_snapshot where doc_id = ?) as folded',
        [docId, docId],
      );
    const log = Number(counts?.log ?? 0);
    const folded = Number(counts?.folded ?? 0);
    const written = store.log.stats.items - rowsBefore;
    expect(written).toBeGreaterThan(EDITORS.length * EDITS_PER_CLIENT * 0.9);
    expect(log).toBeLessThan(written);
    expect(folded + log).toBe(written);

    const whileOpen = new Y.Doc();
    Y.applyUpdate(whileOpen, await store.loadState(docId));
    expect(sameState(whileOpen, first.doc)).toBe(true);
    for (const l of logs) expect(holdsAll(whileOpen, l.acknowledged)).toBe(true);

    for (const c of clients) c.close();
    const rooms = t.app.get(RoomsService);
    await waitFor(() => rooms.openRooms === 0, 10_000, 'the room to unload');
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await store.loadState(docId));
    for (const c of clients) {
      expect(sameState(stored, c.doc)).toBe(true);
      expect(content(stored)).toEqual(content(c.doc));
    }
  });
});
