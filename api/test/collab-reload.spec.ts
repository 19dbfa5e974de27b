import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocStore } from '../src/collab/doc-store';
import { RoomsService } from '../src/collab/rooms.service';
import { sameState, startCollabApp, storedDoc, waitFor, waitForStatus, type CollabTestApp } from './collab-harness';

/**
 * A room reloaded from storage (after a refused update tainted it) keeps serving while PostgreSQL
 * is read. Real: PostgreSQL, the app on port 0, socket.io clients with the real provider. The
 * only hold is on the order of events: the read is held, once it has its rows, until an edit made
 * meanwhile is acknowledged — the case where that edit's commit lands after the read looked.
 */
const PM = 'pm@demo.tandem';
const PARTNER = 'partner@demo.tandem';

describe('collab: reloading a room', () => {
  let t: CollabTestApp;
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the new room holds every change the old one acknowledged while storage was read', async () => {
    const docId = await t.createDoc(PM, 'QA');
    const editor = await t.client(PM, docId);
    const observer = await t.client(PARTNER, docId);
    await Promise.all([waitForStatus(editor, 'saved'), waitForStatus(observer, 'saved')]);
    editor.provider.awareness.setLocalStateField('cursor', 1);
    const editorShown = () => observer.provider.awareness.getStates().has(editor.doc.clientID);
    await waitFor(editorShown, 5000, 'the editor\'s presence');
    editor.doc.getText('t').insert(0, 'before the reload. ');
    await waitForStatus(editor, 'saved');

    const rooms = t.app.get(RoomsService);
    const store = t.app.get(DocStore);
    const room = rooms.get(docId);
    if (!room) throw new Error('the room is not open');
    const load = store.load.bind(store);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let read = () => {};
    const hasRead = new Promise<void>((resolve) => (read = resolve));
    store.load = async (id) => {
      const stored = await load(id);
      read();
      await held;
      return stored;
    };
    try {
      const reloading = rooms.reload(room);
      // Another refusal while it runs waits for the same replacement.
      expect(rooms.reload(room)).toBe(reloading);
      await hasRead;
      // The old room still serves: this edit is accepted, committed and acknowledged after the read.
      editor.doc.getText('t').insert(0, 'during the reload. ');
      expect(editor.provider.status).not.toBe('saved');
      await waitForStatus(editor, 'saved');
      release();
      const fresh = await reloading;
      expect(rooms.get(docId)).toBe(fresh);
      expect(fresh.doc.getText('t').toString()).toBe('during the reload. before the reload. ');
      // Presence carries over: the editor is still shown to a joiner, and is cleared when they leave (below).
      expect(fresh.awareness.getStates().has(editor.doc.clientID)).toBe(true);
    } finally {
      store.load = load;
      release();
    }

    // Someone opening the document now gets all of it, as PostgreSQL has it.
    const late = await t.client(PARTNER, docId);
    await waitFor(() => late.doc.getText('t').toString() === editor.doc.getText('t').toString(), 5000, 'the late joiner to get every change');
    expect(sameState(await storedDoc(t, docId), editor.doc)).toBe(true);
    await waitFor(() => late.provider.awareness.getStates().has(editor.doc.clientID), 5000, 'the editor\'s presence at the late joiner');
    late.close();
    editor.close();
    await waitFor(() => !editorShown(), 3000, 'the editor to be gone once they left');
    observer.close();
  });
});
