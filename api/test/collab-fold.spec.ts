import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocStore } from '../src/collab/doc-store';
import { RoomsService } from '../src/collab/rooms.service';
import { sameState, startCollabApp, waitFor, waitForStatus, type CollabTestApp } from './collab-harness';

/**
 * Folding from an open document's state (single node): only the log's row ids are read, the
 * given state is written, and exactly the rows read are deleted; when the state cannot be vouched
 * for, the fold reads and merges the rows as before. Real PostgreSQL, the whole app on port 0.
 */
describe('collab: folding the log from the open document', () => {
  let t: CollabTestApp;
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const logRows = async (docId: string) => Number((await t.orm.em.getConnection().execute<{ n: string }[]>('select count(*) as n from doc_update where doc_id = ?', [docId]))[0]?.n ?? -1);

  async function docWithRows(text: string): Promise<{ docId: string; rows: Y.Doc }> {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const store = t.app.get(DocStore);
    const rows = new Y.Doc();
    for (const part of text) {
      const before = Y.encodeStateVector(rows);
      rows.getText('t').insert(rows.getText('t').length, part);
      await store.append(docId, Y.encodeStateAsUpdate(rows, before));
    }
    expect(await logRows(docId)).toBe(text.length);
    return { docId, rows };
  }

  it('writes the state it is given, reading only the ids of the rows it deletes', async () => {
    const store = t.app.get(DocStore);
    const { docId, rows } = await docWithRows('abc');
    // A superset of the rows (what an open room holds): the rows plus one more change.
    const open = new Y.Doc();
    Y.applyUpdate(open, Y.encodeStateAsUpdate(rows));
    open.getMap('m').set('only-in-the-open-doc', 1);
    expect(await store.compact(docId, () => Y.encodeStateAsUpdate(open))).toEqual({ folded: 3 });
    expect(await logRows(docId)).toBe(0);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await store.loadState(docId));
    expect(sameState(stored, open)).toBe(true);
    expect(stored.getMap('m').get('only-in-the-open-doc')).toBe(1);
  });

  it('merges the stored rows when the open state cannot be vouched for', async () => {
    const store = t.app.get(DocStore);
    const { docId, rows } = await docWithRows('xyz');
    expect(await store.compact(docId, () => null)).toEqual({ folded: 3 });
    expect(await logRows(docId)).toBe(0);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await store.loadState(docId));
    expect(sameState(stored, rows)).toBe(true);
  });

  it('folds an open room from its own state on release: storage ends equal to the client', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const client = await t.client('pm@demo.tandem', docId);
    for (let i = 0; i < 20; i++) client.doc.getText('t').insert(0, `${i};`);
    await waitForStatus(client, 'saved');
    const rooms = t.app.get(RoomsService);
    client.close();
    await waitFor(() => rooms.openRooms === 0, 10_000, 'the room to unload');
    expect(await logRows(docId)).toBe(0);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await t.app.get(DocStore).loadState(docId));
    expect(stored.getText('t').toString()).toBe(client.doc.getText('t').toString());
  });
});
