import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_FRAGMENT, readDocument, writeDocument, type DocNode } from '@tandem/collab-protocol';
import * as Y from 'yjs';
import { DocStore } from '../src/collab/doc-store';
import { RoomsService } from '../src/collab/rooms.service';
import { DocsService } from '../src/docs/docs.service';
import { startCollabApp, waitFor, waitForStatus, type CollabTestApp, type TestClient } from './collab-harness';

/**
 * Named versions: save, list, preview, restore while people edit, undo a restore, and the daily
 * automatic version. Real: PostgreSQL, the app on a port, socket.io clients with the provider.
 */
describe('docs: versions', () => {
  let t: CollabTestApp;
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const paragraphs = (...lines: string[]): DocNode[] => lines.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] }));
  /** The document's paragraphs as plain lines. */
  const lines = (doc: Y.Doc): string[] => (readDocument(doc).content ?? []).map((n) => (n.content ?? []).map((c) => c.text ?? '').join(''));
  const stored = async (docId: string): Promise<string[]> => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await t.app.get(DocStore).loadState(docId));
    return lines(doc);
  };
  const saved = (...clients: TestClient[]) => Promise.all(clients.map((c) => waitForStatus(c, 'saved')));

  it('saves a version, lists it without its content, and previews it as Markdown and HTML', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    await saved(a);
    writeDocument(a.doc, paragraphs('Pilot in Lisbon', '<b>not bold</b>'));
    await saved(a);
    const pm = await t.signIn('pm@demo.tandem');
    const created = await pm.post(`/api/v1/docs/${docId}/versions`).send({ name: 'Before the steering committee' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Before the steering committee', kind: 'manual', createdBy: { name: expect.any(String) } });
    writeDocument(a.doc, paragraphs('Pilot in Porto'));
    await saved(a);
    await pm.post(`/api/v1/docs/${docId}/versions`).send({ name: 'After' });

    const list = await (await t.signIn('leader@demo.tandem')).get(`/api/v1/docs/${docId}/versions`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((v: { name: string }) => v.name)).toEqual(['After', 'Before the steering committee']);
    expect(Object.keys(list.body.items[0]).sort()).toEqual(['createdAt', 'createdBy', 'id', 'kind', 'name']);

    const preview = await pm.get(`/api/v1/docs/${docId}/versions/${created.body.id}`);
    expect(preview.status).toBe(200);
    expect(preview.body.version.id).toBe(created.body.id);
    expect(preview.body.markdown).toBe('Pilot in Lisbon\n\n\\<b\\>not bold\\</b\\>\n');
    expect(preview.body.html).toBe('<p>Pilot in Lisbon</p>\n<p>&lt;b&gt;not bold&lt;/b&gt;</p>');
  });

  it('lets readers list and preview but only writers save or restore', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'VOU');
    const pm = await t.signIn('pm@demo.tandem');
    const v = await pm.post(`/api/v1/docs/${docId}/versions`).send({ name: 'v1' });
    const viewer = await t.signIn('qa.lead@demo.tandem');
    expect((await viewer.get(`/api/v1/docs/${docId}/versions/${v.body.id}`)).status).toBe(200);
    expect((await viewer.post(`/api/v1/docs/${docId}/versions`).send({ name: 'mine' })).status).toBe(403);
    expect((await viewer.post(`/api/v1/docs/${docId}/versions/${v.body.id}/restore`)).status).toBe(403);
    const outsider = await t.signIn('partner@demo.tandem');
    expect((await outsider.get(`/api/v1/docs/${docId}/versions`)).status).toBe(404);
    expect((await pm.post(`/api/v1/docs/${docId}/versions`).send({ name: '' })).status).toBe(400);
    // a version of another document is not found through this one
    const other = await t.createDoc('pm@demo.tandem', 'VOU');
    expect((await pm.get(`/api/v1/docs/${other}/versions/${v.body.id}`)).status).toBe(404);
    expect((await pm.post(`/api/v1/docs/${other}/versions/${v.body.id}/restore`)).status).toBe(404);
  });

  it('restores while two people edit: both see the restored text and keep editing; the restore can be undone', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    const b = await t.client('partner@demo.tandem', docId);
    await saved(a, b);
    writeDocument(a.doc, paragraphs('Wave 1 goes live in March'));
    await saved(a);
    const pm = await t.signIn('pm@demo.tandem');
    const march = (await pm.post(`/api/v1/docs/${docId}/versions`).send({ name: 'March plan' })).body;
    writeDocument(b.doc, paragraphs('Wave 1 slips to May', 'Training first'));
    await waitFor(() => lines(a.doc).join() === 'Wave 1 slips to May,Training first');
    await saved(b);

    const res = await pm.post(`/api/v1/docs/${docId}/versions/${march.id}/restore`);
    expect(res.status).toBe(200);
    expect(res.body.restored).toMatchObject({ id: march.id, name: 'March plan' });
    expect(res.body.undo).toMatchObject({ kind: 'restore', name: 'Before restoring "March plan"' });
    await waitFor(() => lines(a.doc).join() === 'Wave 1 goes live in March' && lines(b.doc).join() === 'Wave 1 goes live in March', 5000, 'restored text at both clients');
    expect(await stored(docId)).toEqual(['Wave 1 goes live in March']);

    // Both keep editing on top of the restore, and converge.
    ((a.doc.getXmlFragment(DOC_FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Confirmed: ');
    b.doc.getXmlFragment(DOC_FRAGMENT).push([new Y.XmlElement('paragraph')]);
    await waitFor(() => lines(b.doc)[0] === 'Confirmed: Wave 1 goes live in March' && lines(a.doc).length === 2, 5000, 'edits after the restore');
    await saved(a, b);
    expect(await stored(docId)).toEqual(['Confirmed: Wave 1 goes live in March', '']);

    // Undo: restoring the 'restore' version brings back what was there before.
    const undo = await pm.post(`/api/v1/docs/${docId}/versions/${res.body.undo.id}/restore`);
    expect(undo.status).toBe(200);
    await waitFor(() => lines(a.doc).join() === 'Wave 1 slips to May,Training first' && lines(b.doc).join() === lines(a.doc).join(), 5000, 'undone at both clients');
    expect(await stored(docId)).toEqual(['Wave 1 slips to May', 'Training first']);
    const kinds = (await pm.get(`/api/v1/docs/${docId}/versions`)).body.items.map((v: { kind: string }) => v.kind);
    expect(kinds).toEqual(['restore', 'restore', 'manual']);
  });

  it('keeps edits accepted while the undo point was being saved in that undo point, not wiped by the restore', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    const b = await t.client('partner@demo.tandem', docId);
    await saved(a, b);
    writeDocument(a.doc, paragraphs('Pilot in Lisbon'));
    await saved(a);
    const pm = await t.signIn('pm@demo.tandem');
    const v1 = (await pm.post(`/api/v1/docs/${docId}/versions`).send({ name: 'v1' })).body;
    writeDocument(a.doc, paragraphs('Pilot in Lisbon', 'Wave 1 in Manila'));
    await saved(a);

    // The partner's edit reaches the server after the undo point was committed and before the
    // restore is applied (a real run: the transaction of the undo point takes that long).
    const rooms = t.app.get(RoomsService);
    const edit = rooms.edit.bind(rooms);
    rooms.edit = async (id, change) => {
      rooms.edit = edit;
      b.doc.getXmlFragment(DOC_FRAGMENT).push([new Y.XmlElement('paragraph')]);
      ((b.doc.getXmlFragment(DOC_FRAGMENT).get(2) as Y.XmlElement).insert(0, [new Y.XmlText('Typed during the restore')]));
      await saved(b);
      return edit(id, change);
    };
    const res = await pm.post(`/api/v1/docs/${docId}/versions/${v1.id}/restore`);
    expect(res.status).toBe(200);
    expect(await stored(docId)).toEqual(['Pilot in Lisbon']);
    const undo = await pm.get(`/api/v1/docs/${docId}/versions/${res.body.undo.id}`);
    expect(undo.body.markdown).toBe('Pilot in Lisbon\n\nWave 1 in Manila\n\nTyped during the restore\n');
  });

  it('restores a document nobody has open, and the next editor gets the restored text', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    await saved(a);
    writeDocument(a.doc, paragraphs('first'));
    await saved(a);
    const pm = await t.signIn('pm@demo.tandem');
    const first = (await pm.post(`/api/v1/docs/${docId}/versions`).send({ name: 'first' })).body;
    writeDocument(a.doc, paragraphs('second'));
    await saved(a);
    a.close();
    const rooms = t.app.get(RoomsService);
    await waitFor(() => !rooms.get(docId), 5000, 'room released');
    expect((await pm.post(`/api/v1/docs/${docId}/versions/${first.id}/restore`)).status).toBe(200);
    expect(rooms.get(docId)).toBeUndefined();
    const late = await t.client('qa.lead@demo.tandem', docId);
    await saved(late);
    expect(lines(late.doc)).toEqual(['first']);
  });

  it('saves the daily automatic version when an edited room is released, at most once a day', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const sql = (q: string, params: unknown[] = []) => t.orm.em.getConnection().execute(q, params);
    const versions = async () => (await sql('select name, kind from doc_version where doc_id = ? order by created_at', [docId])) as { name: string; kind: string }[];
    // Observe (not replace) the release hook, to know when its work for this document is done.
    const rooms = t.app.get(RoomsService);
    const hook = rooms.onReleased;
    let released = 0;
    rooms.onReleased = async (id) => {
      await hook?.(id);
      if (id === docId) released++;
    };
    const leave = async (c: TestClient) => {
      const before = released;
      c.close();
      await waitFor(() => released > before, 5000, 'room released');
    };
    const editAndLeave = async (text: string) => {
      const c = await t.client('pm@demo.tandem', docId);
      await saved(c);
      writeDocument(c.doc, paragraphs(text));
      await saved(c);
      await leave(c);
    };

    // A document created less than a day ago gets none.
    await editAndLeave('day 0');
    expect(await versions()).toEqual([]);

    // Created two days ago and edited since: one automatic version on release.
    await sql(`update doc set created_at = now() - interval '2 days' where id = ?`, [docId]);
    await editAndLeave('day 2');
    const today = new Date().toISOString().slice(0, 10);
    let rows = await versions();
    expect(rows).toEqual([{ name: `Automatic ${today}`, kind: 'auto' }]);

    // Edited again the same day: no second one.
    await editAndLeave('day 2, later');
    expect(await versions()).toHaveLength(1);

    // A day later, another.
    await sql(`update doc_version set created_at = now() - interval '25 hours' where doc_id = ?`, [docId]);
    await editAndLeave('day 3');
    rows = await versions();
    expect(rows.map((r) => r.kind)).toEqual(['auto', 'auto']);
    const preview = await (await t.signIn('pm@demo.tandem')).get(`/api/v1/docs/${docId}/versions`);
    const newest = preview.body.items[0];
    expect((await (await t.signIn('pm@demo.tandem')).get(`/api/v1/docs/${docId}/versions/${newest.id}`)).body.markdown).toBe('day 3\n');

    // Opened and released without an edit since the last version, a day later: nothing.
    await sql(`update doc_version set created_at = now() - interval '25 hours' where doc_id = ?`, [docId]);
    await sql(`update doc set last_edited_at = now() - interval '26 hours' where id = ?`, [docId]);
    const idle = await t.client('pm@demo.tandem', docId);
    await saved(idle);
    await leave(idle);
    expect(await versions()).toHaveLength(2);
    rooms.onReleased = hook;
  });

  it('saves the daily automatic version of a document that stays open, from the sweep over open rooms', async () => {
    const docs = t.app.get(DocsService);
    const rooms = t.app.get(RoomsService);
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const quiet = await t.createDoc('pm@demo.tandem', 'QA');
    const sql = (q: string, params: unknown[] = []) => t.orm.em.getConnection().execute(q, params);
    const versions = async (id: string) => (await sql('select name, kind, state from doc_version where doc_id = ? order by created_at', [id])) as { name: string; kind: string; state: Buffer }[];
    await sql(`update doc set created_at = now() - interval '2 days' where id = any(?::uuid[])`, [`{${docId},${quiet}}`]);

    // Both stay open all along: one is edited (its edits still in the update log, never compacted), the other not.
    const a = await t.client('pm@demo.tandem', docId);
    const b = await t.client('pm@demo.tandem', quiet);
    await saved(a, b);
    writeDocument(a.doc, paragraphs('left open for days'));
    await saved(a);
    expect((await sql('select last_edited_at from doc where id = ?', [docId]))[0]).toEqual({ last_edited_at: null });

    expect(await docs.sweepAutoVersions()).toBe(1);
    const [auto] = await versions(docId);
    expect(auto).toMatchObject({ name: `Automatic ${new Date().toISOString().slice(0, 10)}`, kind: 'auto' });
    const snapshot = new Y.Doc();
    Y.applyUpdate(snapshot, new Uint8Array(auto!.state));
    expect(lines(snapshot)).toEqual(['left open for days']);
    expect(await versions(quiet)).toEqual([]);
    expect(rooms.get(docId)).toBeDefined();

    // The next sweep the same day: nothing new. A day later with no edit since: nothing either.
    expect(await docs.sweepAutoVersions()).toBe(0);
    // (Time moves for the log rows too: they were written before that version.)
    await sql(`update doc_version set created_at = created_at - interval '25 hours' where doc_id = ?`, [docId]);
    await sql(`update doc_update set created_at = created_at - interval '25 hours' where doc_id = ?`, [docId]);
    expect(await docs.sweepAutoVersions()).toBe(0);
    // An edit after that, and the next sweep saves the second one.
    writeDocument(a.doc, paragraphs('left open for days', 'and edited again'));
    await saved(a);
    expect(await docs.sweepAutoVersions()).toBe(1);
    expect((await versions(docId)).map((v) => v.kind)).toEqual(['auto', 'auto']);
    a.close();
    b.close();
  });
});
