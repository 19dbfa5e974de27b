import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, DEFAULT_RETRO_COLUMNS, markActionItem, readBoard, vote } from '@tandem/collab-protocol';
import * as Y from 'yjs';
import { DocStore } from '../src/collab/doc-store';
import { startCollabApp, waitFor, waitForStatus, type CollabTestApp, type TestClient } from './collab-harness';

/**
 * Retros: the board set up by the server, and action items turned into milestones and checklist
 * items through the planning API. Real: PostgreSQL, the app on a port, socket.io clients.
 */
describe('docs: retro board and action items', () => {
  let t: CollabTestApp;
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const storedBoard = async (docId: string) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await t.app.get(DocStore).loadState(docId));
    return readBoard(doc);
  };

  /** A retro in QA with one action item card written by a client. */
  async function retroWithCard(text: string): Promise<{ docId: string; client: TestClient; cardId: string }> {
    const docId = await t.createDoc('pm@demo.tandem', 'QA', 'retro');
    const client = await t.client('partner@demo.tandem', docId);
    await waitForStatus(client, 'saved');
    const columnId = readBoard(client.doc).columns[2]?.id ?? '';
    const cardId = addCard(client.doc, { columnId, text, authorId: 'partner' });
    markActionItem(client.doc, cardId);
    vote(client.doc, cardId, 'partner');
    await waitForStatus(client, 'saved');
    return { docId, client, cardId };
  }

  async function waveIn(program: string, name: string): Promise<string> {
    const res = await (await t.signIn('pm@demo.tandem')).post(`/api/v1/programs/${program}/waves`).send({ name });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it('sets up a new retro with the three columns, stored before anyone opens it', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA', 'retro');
    expect((await storedBoard(docId)).columns.map((c) => c.title)).toEqual([...DEFAULT_RETRO_COLUMNS]);
    const client = await t.client('qa.lead@demo.tandem', docId);
    await waitForStatus(client, 'saved');
    expect(readBoard(client.doc).columns.map((c) => c.title)).toEqual(['Went well', 'To improve', 'Action items']);
    // a plan has no board
    const plan = await t.createDoc('pm@demo.tandem', 'QA', 'plan');
    expect((await storedBoard(plan)).columns).toEqual([]);
  });

  it('turns an action item into a milestone; the card keeps the link and converting again is a conflict', async () => {
    const { docId, client, cardId } = await retroWithCard('Run refresher training for night shift');
    const other = await t.client('pm@demo.tandem', docId);
    await waitForStatus(other, 'saved');
    const pm = await t.signIn('pm@demo.tandem');
    const res = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'milestone', dueDate: '2027-03-01' });
    expect(res.status).toBe(200);
    expect(res.body.milestone).toMatchObject({ title: 'Run refresher training for night shift', dueDate: '2027-03-01' });
    expect(res.body.link).toEqual({ type: 'milestone', id: res.body.milestone.id });
    expect(res.body.card).toMatchObject({ id: cardId, actionItem: true, link: res.body.link, votes: ['partner'] });

    // The milestone is in the plan, and both open editors see the link on the card.
    const milestone = await pm.get(`/api/v1/milestones/${res.body.milestone.id}`);
    expect(milestone.status).toBe(200);
    expect(milestone.body.title).toBe('Run refresher training for night shift');
    for (const c of [client, other]) await waitFor(() => readBoard(c.doc).cards[0]?.link?.id === res.body.milestone.id, 5000, 'link at the client');
    expect((await storedBoard(docId)).cards[0]?.link).toEqual({ type: 'milestone', id: res.body.milestone.id });

    const again = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'milestone' });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('This card is already linked to milestone “Run refresher training for night shift”');
    expect(again.body.link).toEqual(res.body.link);
    const milestones = await pm.get('/api/v1/programs/QA/milestones?limit=200');
    expect(milestones.body.items.filter((m: { title: string }) => m.title === 'Run refresher training for night shift')).toHaveLength(1);

    // The export starts with the retro's name (its notes are empty here) and names what the action item became.
    const { title } = (await pm.get(`/api/v1/docs/${docId}`)).body as { title: string };
    const md = (await pm.get(`/api/v1/docs/${docId}/export.md`)).text;
    expect(md.startsWith(`# ${title}\n\n---\n\n## Retro board`)).toBe(true);
    expect(md).toContain('### Action items\n\n- Run refresher training for night shift *— 1 vote, action item → milestone “Run refresher training for night shift”*');
  });

  it('makes a one-line title of a card written over several lines, and keeps the whole text as the description', async () => {
    const card = 'Rewrite the QA rubric\nfor chat\tand email';
    const { docId, cardId } = await retroWithCard(card);
    const pm = await t.signIn('pm@demo.tandem');
    const milestone = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'milestone' });
    expect(milestone.status).toBe(200);
    expect(milestone.body.milestone).toMatchObject({ title: 'Rewrite the QA rubric for chat and email', description: card });
    const { docId: other, cardId: otherCard } = await retroWithCard(card);
    const item = await pm.post(`/api/v1/docs/${other}/cards/${otherCard}/convert`).send({ to: 'checklist_item', waveId: await waveIn('QA', `Wave ${Date.now()}`) });
    expect(item.status).toBe(200);
    expect(item.body.checklistItem).toMatchObject({ title: 'Rewrite the QA rubric for chat and email' });
  });

  it('turns an action item into a checklist item of a wave of the same program', async () => {
    const { docId, client, cardId } = await retroWithCard('Add a QA sign-off step');
    const waveId = await waveIn('QA', `Wave ${Date.now()}`);
    const pm = await t.signIn('pm@demo.tandem');
    const res = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'checklist_item', waveId });
    expect(res.status).toBe(200);
    expect(res.body.checklistItem).toMatchObject({ title: 'Add a QA sign-off step' });
    const checklist = await pm.get(`/api/v1/waves/${waveId}/checklist?limit=200`);
    expect(checklist.body.items.map((i: { id: string }) => i.id)).toContain(res.body.checklistItem.id);
    await waitFor(() => readBoard(client.doc).cards[0]?.link?.type === 'checklist_item', 5000, 'link at the client');
    expect(readBoard(client.doc).cards[0]?.link).toEqual({ type: 'checklist_item', id: res.body.checklistItem.id });
    const html = (await pm.get(`/api/v1/docs/${docId}/export.html`)).text;
    expect(html).toContain('checklist item “Add a QA sign-off step”');
    const { title } = (await pm.get(`/api/v1/docs/${docId}`)).body as { title: string };
    expect(html).toContain(`<h1>${title}</h1>`);
  });

  it('lets a card whose milestone or checklist item was deleted since be turned into something again', async () => {
    const { docId, client, cardId } = await retroWithCard('Publish the calibration rota');
    const pm = await t.signIn('pm@demo.tandem');
    const first = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'milestone' });
    expect(first.status).toBe(200);
    expect((await pm.delete(`/api/v1/milestones/${first.body.milestone.id}`)).status).toBe(204);

    const waveId = await waveIn('QA', `Wave ${Date.now()}`);
    const second = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'checklist_item', waveId });
    expect(second.status).toBe(200);
    expect(second.body.link).toEqual({ type: 'checklist_item', id: second.body.checklistItem.id });
    await waitFor(() => readBoard(client.doc).cards[0]?.link?.id === second.body.checklistItem.id, 5000, 'new link at the client');
    expect((await storedBoard(docId)).cards[0]?.link).toEqual(second.body.link);

    // while the checklist item exists, converting again is a conflict naming it
    const again = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'milestone' });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('This card is already linked to checklist item “Publish the calibration rota”');

    // what the board asks to name the link, and to learn that it is gone
    const item = await pm.get(`/api/v1/checklist-items/${second.body.checklistItem.id}`);
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({ id: second.body.checklistItem.id, waveId, title: 'Publish the calibration rota' });

    expect((await pm.delete(`/api/v1/checklist-items/${second.body.checklistItem.id}`)).status).toBe(204);
    const gone = await pm.get(`/api/v1/checklist-items/${second.body.checklistItem.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe('Checklist item not found');
    const third = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'milestone' });
    expect(third.status).toBe(200);
    expect((await storedBoard(docId)).cards[0]?.link).toEqual({ type: 'milestone', id: third.body.milestone.id });
  });

  it("refuses a live wave (the demo's Pilot): 409 saying what to do instead, the card unlinked and the checklist as it went live", async () => {
    const { docId, cardId } = await retroWithCard('Check the Lisbon macros again');
    const pm = await t.signIn('pm@demo.tandem');
    const pilot = ((await pm.get('/api/v1/programs/QA/waves')).body.items as { id: string; name: string; status: string; completion: unknown }[]).find((w) => w.name === 'Pilot')!;
    expect(pilot).toMatchObject({ status: 'live', completion: { closed: 6, total: 6, percent: 100 } });
    const res = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'checklist_item', waveId: pilot.id });
    expect({ status: res.status, message: res.body.message }).toEqual({
      status: 409,
      message: 'Pilot is live: its go-live checklist is closed. Add the item to a wave that is not live, or roll Pilot back first.',
    });
    expect((await pm.get(`/api/v1/waves/${pilot.id}`)).body.completion).toEqual({ closed: 6, total: 6, percent: 100 });
    expect((await storedBoard(docId)).cards[0]?.link).toBeNull();
    // the card can still go to a wave that is not live
    const open = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'checklist_item', waveId: await waveIn('QA', `Wave ${Date.now()}`) });
    expect(open.status).toBe(200);
  });

  it("refuses another program's wave, unknown cards, plans and readers, and leaves the card unlinked", async () => {
    const { docId, cardId } = await retroWithCard('Share the dashboard');
    const kbWave = await waveIn('KB', `KB wave ${Date.now()}`);
    const pm = await t.signIn('pm@demo.tandem');
    const before = (await pm.get(`/api/v1/waves/${kbWave}/checklist?limit=200`)).body.items.length;
    const wrongWave = await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'checklist_item', waveId: kbWave });
    expect(wrongWave.status).toBe(404);
    expect(wrongWave.body.message).toBe('Wave not found');
    expect((await pm.get(`/api/v1/waves/${kbWave}/checklist?limit=200`)).body.items).toHaveLength(before);
    expect((await storedBoard(docId)).cards[0]?.link).toBeNull();

    expect((await pm.post(`/api/v1/docs/${docId}/cards/no-such-card/convert`).send({ to: 'milestone' })).status).toBe(404);
    const plan = await t.createDoc('pm@demo.tandem', 'QA', 'plan');
    expect((await pm.post(`/api/v1/docs/${plan}/cards/${cardId}/convert`).send({ to: 'milestone' })).status).toBe(404);
    expect((await pm.post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'milestone', dueDate: 'soon' })).status).toBe(400);
    expect((await (await t.signIn('leader@demo.tandem')).post(`/api/v1/docs/${docId}/cards/${cardId}/convert`).send({ to: 'milestone' })).status).toBe(403);
    expect((await storedBoard(docId)).cards[0]?.link).toBeNull();
  });
  it('says what blocks a change to a document of an archived program: the program, not the document', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'KB', 'retro');
    const pm = await t.signIn('pm@demo.tandem');
    const version = (await pm.post(`/api/v1/docs/${docId}/versions`).send({ name: 'v1' })).body as { id: string };
    expect((await pm.post('/api/v1/programs/KB/archive')).status).toBe(200);
    try {
      const convert = await pm.post(`/api/v1/docs/${docId}/cards/any-card/convert`).send({ to: 'milestone' });
      expect(convert.status).toBe(409);
      expect(convert.body.message).toBe('KB is archived: restore the program to change it');
      const restore = await pm.post(`/api/v1/docs/${docId}/versions/${version.id}/restore`);
      expect(restore.status).toBe(409);
      expect(restore.body.message).toBe('KB is archived: restore the program to change it');
    } finally {
      await pm.post('/api/v1/programs/KB/restore');
    }
    // an archived document in a live program is named itself
    expect((await pm.post(`/api/v1/docs/${docId}/archive`)).status).toBe(200);
    const title = (await pm.get(`/api/v1/docs/${docId}`)).body.title as string;
    expect((await pm.post(`/api/v1/docs/${docId}/cards/any-card/convert`).send({ to: 'milestone' })).body.message).toBe(`"${title}" is archived`);
  });
});
