import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateMessage } from '@tandem/collab-protocol';
import * as Y from 'yjs';
import { DocStore } from '../src/collab/doc-store';
import { startCollabApp, waitFor, waitForStatus, type CollabTestApp } from './collab-harness';

/** Real: PostgreSQL, the whole app on a port, socket.io clients with the real provider. */
describe('collab: live co-editing over /collab', () => {
  let t: CollabTestApp;
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('two clients converge on text and structured content', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    const b = await t.client('partner@demo.tandem', docId);
    await Promise.all([waitForStatus(a, 'saved'), waitForStatus(b, 'saved')]);
    a.doc.getText('t').insert(0, 'Hello ');
    b.doc.getText('t').insert(0, 'World');
    a.doc.getMap('board').set('columns', ['Went well', 'To improve']);
    await waitFor(() => a.doc.getText('t').toString() === b.doc.getText('t').toString() && b.doc.getMap('board').has('columns'));
    expect(a.doc.getText('t').toString()).toHaveLength('Hello World'.length);
    await Promise.all([waitForStatus(a, 'saved'), waitForStatus(b, 'saved')]);
  });

  it('acknowledges saved only once the update is a row in PostgreSQL', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    await waitForStatus(a, 'saved');
    const seen: number[] = [];
    let acked = 0;
    a.socket.on('saved', async (id, n) => {
      if (id !== docId || n < 2) return;
      acked = n;
      const rows = await t.orm.em.getConnection().execute<{ n: string }[]>(
        `select (select count(*) from doc_update where doc_id = ?) + (select count(*) from doc_snapshot where doc_id = ?) as n`,
        [docId, docId],
      );
      seen.push(Number(rows[0]?.n));
    });
    // The update is the second update-carrying message on this connection (after the sync step 2).
    a.doc.getText('t').insert(0, 'durable');
    await waitFor(() => acked >= 2 && seen.length > 0);
    expect(seen).toEqual([1]);
  });

  it('says "saved" for edits the document held before connecting only once the server has stored them', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    // A document with edits made elsewhere (kept offline, say) and never sent: the provider is new.
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'written offline');
    const statuses: string[] = [];
    let savedEvents = 0;
    const c = await t.client('pm@demo.tandem', docId, { doc });
    // onAny runs before the provider's own 'saved' handler
    c.socket.onAny((event: string) => void (event === 'saved' && savedEvents++));
    c.provider.on('status', (s) => statuses.push(`${s}@${savedEvents}`));
    await waitForStatus(c, 'saved');
    // never "saved" before a `saved` from the server
    expect(statuses.filter((s) => s.startsWith('saved@')).every((s) => s !== 'saved@0')).toBe(true);
    expect(statuses).toContain('unsaved-changes@0');
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await t.app.get(DocStore).loadState(docId));
    expect(stored.getText('t').toString()).toBe('written offline');
  });

  it('a late joiner receives the full state', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    for (let i = 0; i < 20; i++) a.doc.getText('t').insert(a.doc.getText('t').length, `line ${i}\n`);
    await waitForStatus(a, 'saved');
    const late = await t.client('qa.lead@demo.tandem', docId);
    await waitForStatus(late, 'saved');
    expect(late.doc.getText('t').toString()).toBe(a.doc.getText('t').toString());
  });

  it('gives a program viewer a read-only connection and refuses their writes without changing the doc', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'VOU');
    const owner = await t.client('pm@demo.tandem', docId);
    owner.doc.getText('t').insert(0, 'owner text');
    await waitForStatus(owner, 'saved');
    const viewer = await t.client('qa.lead@demo.tandem', docId);
    await waitFor(() => viewer.doc.getText('t').toString() === 'owner text');
    expect(viewer.provider.readOnly).toBe(true);
    // A hand-made write from the viewer's socket is refused and the socket closed.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(viewer.doc));
    other.getText('t').insert(0, 'viewer ');
    const refused = new Promise((r) => viewer.socket.once('error', (_d, reason) => r(reason)));
    viewer.socket.emit('y', docId, updateMessage(Y.encodeStateAsUpdate(other, Y.encodeStateVector(viewer.doc))));
    expect(await refused).toBe('read_only');
    await new Promise((r) => setTimeout(r, 100));
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await t.app.get(DocStore).loadState(docId));
    expect(stored.getText('t').toString()).toBe('owner text');
  });

  it('refuses a document the person may not read with the same answer as a missing one', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'WFM');
    const partner = await t.client('partner@demo.tandem', docId);
    await waitFor(() => partner.provider.refusal !== null);
    expect(partner.provider.refusal).toBe('not_found');
    const missing = await t.client('partner@demo.tandem', '00000000-0000-4000-8000-000000000000');
    await waitFor(() => missing.provider.refusal !== null);
    expect(missing.provider.refusal).toBe('not_found');
  });
  it('sends and saves the changes a client makes while it applies a remote update (an observer answering it)', async () => {
    // The provider applies a remote update with its `update` listener set aside (so Yjs skips
    // encoding it); a change an observer makes inside that apply must still reach the server.
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    const b = await t.client('partner@demo.tandem', docId);
    await Promise.all([waitForStatus(a, 'saved'), waitForStatus(b, 'saved')]);
    a.doc.getText('t').insert(0, 'abc');
    await waitFor(() => b.doc.getText('t').toString() === 'abc', 5000, 'the text at b');
    const bMap = b.doc.getMap('m');
    bMap.observe((event) => {
      if (event.transaction.local || !bMap.has('ping') || bMap.has('pong')) return;
      bMap.set('pong', 'from b'); // a struct of b's own
      b.doc.getText('t').delete(0, 1); // and a deletion, which moves no clock of b's
    });
    a.doc.getMap('m').set('ping', 'from a');
    await waitFor(() => a.doc.getMap('m').get('pong') === 'from b' && a.doc.getText('t').toString() === 'bc', 5000, 'b\'s answer at a');
    await Promise.all([waitForStatus(a, 'saved'), waitForStatus(b, 'saved')]);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await t.app.get(DocStore).loadState(docId));
    expect(stored.getMap('m').toJSON()).toEqual({ ping: 'from a', pong: 'from b' });
    expect(stored.getText('t').toString()).toBe('bc');
  });
});
