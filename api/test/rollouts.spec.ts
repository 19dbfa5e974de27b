import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/common/csv';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, signInAs, type Agent, type Person, type ProgramBody } from './helpers';

/**
 * Rollout waves, their checklists and the go-live gate, through the http api. Real: PostgreSQL
 * (a database of this file's own), the whole Nest app, sessions, HTTP through Supertest. Nothing
 * is mocked; every fixture is made through the api.
 */

let t: TestApp;
let admin: Agent;
let pm: Agent;
let editor: Agent;
let viewer: Agent;
let outsider: Agent;
let editorPerson: Person;
let program: ProgramBody;
let other: ProgramBody;
let teams: { id: string; name: string }[];

interface Item {
  id: string;
  title: string;
  required: boolean;
  state: string;
  reason: string | null;
  dueDate: string | null;
  templateItemId: string | null;
  owner: { type: string; id: string; name: string } | null;
  changedBy: { id: string; name: string } | null;
  changedAt: string | null;
}

async function addMember(programKey: string, person: Person, role: 'owner' | 'editor' | 'viewer') {
  expect((await pm.post(`/api/v1/programs/${programKey}/members`).send({ userId: person.id, role })).status).toBe(201);
}

async function createWave(agent: Agent, programKey: string, body: Record<string, unknown>) {
  const res = await agent.post(`/api/v1/programs/${programKey}/waves`).send(body);
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string; completion: { closed: number; total: number; percent: number }; blockers: number; updatedAt: string };
}

async function checklist(waveId: string): Promise<Item[]> {
  const res = await pm.get(`/api/v1/waves/${waveId}/checklist?limit=200`);
  expect(res.status).toBe(200);
  return res.body.items;
}

const lastActivity = async (key: string) => (await pm.get(`/api/v1/programs/${key}/activity?limit=1`)).body.items[0];

beforeAll(async () => {
  t = await startTestApp();
  [admin, pm] = await Promise.all([t.signIn('admin@demo.tandem'), t.signIn('pm@demo.tandem')]);
  const [e, v, o] = await Promise.all([buildPerson(admin, { name: 'Edda Editor' }), buildPerson(admin), buildPerson(admin)]);
  editorPerson = e;
  [program, other] = await Promise.all([buildProgram(pm), buildProgram(pm)]);
  await addMember(program.key, e, 'editor');
  await addMember(program.key, v, 'viewer');
  [editor, viewer, outsider] = await Promise.all([signInAs(t, e), signInAs(t, v), signInAs(t, o)]);
  teams = (await admin.get('/api/v1/teams')).body.items;
});

afterAll(async () => {
  await t?.close();
});

describe('checklist template', () => {
  it('is managed by owners (manage): add, list, change, remove', async () => {
    const url = `/api/v1/programs/${program.key}/checklist-template`;
    const training = await pm.post(url).send({ title: 'Training done', ownerTeamId: teams[0]!.id, dueOffsetDays: -7 });
    expect(training.status).toBe(201);
    expect(training.body).toMatchObject({ title: 'Training done', owner: { type: 'team', id: teams[0]!.id, name: teams[0]!.name }, required: true, dueOffsetDays: -7, position: 0 });
    const comms = await pm.post(url).send({ title: 'Comms sent', ownerUserId: editorPerson.id, required: false });
    expect(comms.body).toMatchObject({ owner: { type: 'user', id: editorPerson.id, name: 'Edda Editor' }, required: false, position: 1 });
    const signOff = await pm.post(url).send({ title: 'Go/no-go sign-off', dueOffsetDays: -1 });
    expect(signOff.status).toBe(201);
    expect(await lastActivity(program.key)).toMatchObject({ entityType: 'checklist_template_item', action: 'created' });

    const listed = await viewer.get(url);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((i: Item) => i.title)).toEqual(['Training done', 'Comms sent', 'Go/no-go sign-off']);

    const temp = (await pm.post(url).send({ title: 'Temporary' })).body;
    const renamed = await pm.patch(`/api/v1/checklist-template/${temp.id}`).send({ title: 'Renamed', ownerTeamId: teams[1]!.id });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ title: 'Renamed', owner: { type: 'team', name: teams[1]!.name } });
    // naming a person replaces the team: an item has one owner
    expect((await pm.patch(`/api/v1/checklist-template/${temp.id}`).send({ ownerUserId: editorPerson.id })).body.owner.type).toBe('user');
    expect((await lastActivity(program.key)).changes).toHaveProperty('ownerUser');
    expect((await pm.delete(`/api/v1/checklist-template/${temp.id}`)).status).toBe(204);
    expect((await pm.delete(`/api/v1/checklist-template/${temp.id}`)).status).toBe(404);
  });

  it('takes an item change that sends back its owner, deactivated since; refuses them as a new owner', async () => {
    const leaver = await buildPerson(admin);
    // a program of its own: the grid tests below count this program's waves
    const wave = await createWave(pm, (await buildProgram(pm)).key, { name: 'Owners' });
    const url = `/api/v1/waves/${wave.id}/checklist`;
    const owned = (await pm.post(url).send({ title: 'Handover', ownerUserId: leaver.id })).body as Item;
    const other = (await pm.post(url).send({ title: 'Not theirs' })).body as Item;
    expect(owned.owner).toMatchObject({ type: 'user', id: leaver.id });
    expect((await admin.patch(`/api/v1/users/${leaver.id}`).send({ active: false })).status).toBe(200);
    const res = await pm.patch(`/api/v1/checklist-items/${owned.id}`).send({ title: 'Handover done', ownerUserId: leaver.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Handover done', owner: { type: 'user', id: leaver.id } });
    const refused = await pm.patch(`/api/v1/checklist-items/${other.id}`).send({ ownerUserId: leaver.id });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'ownerUserId', reason: 'no active person has this id' }]);
  });

  it('answers 403 to editors and viewers, 404 to non-members, 400 naming the field', async () => {
    const url = `/api/v1/programs/${program.key}/checklist-template`;
    expect((await editor.post(url).send({ title: 'x' })).status).toBe(403);
    expect((await viewer.post(url).send({ title: 'x' })).status).toBe(403);
    expect((await outsider.get(url)).status).toBe(404);
    const item = (await viewer.get(url)).body.items[0];
    expect((await editor.patch(`/api/v1/checklist-template/${item.id}`).send({ title: 'y' })).status).toBe(403);
    expect((await outsider.delete(`/api/v1/checklist-template/${item.id}`)).status).toBe(404);

    const both = await pm.post(url).send({ title: 'x', ownerTeamId: teams[0]!.id, ownerUserId: editorPerson.id });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].field).toBe('ownerUserId');
    const noTeam = await pm.post(url).send({ title: 'x', ownerTeamId: '00000000-0000-4000-8000-000000000000' });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.errors).toEqual([{ field: 'ownerTeamId', reason: 'no team has this id' }]);
  });

  it("restores a removed item (the Undo) as it was: same id, and the waves' copies its grid row again", async () => {
    type Row = { templateItemId: string | null; title: string; cells: Record<string, { itemId: string } | null> };
    const key = (await buildProgram(pm)).key;
    const url = `/api/v1/programs/${key}/checklist-template`;
    const grid = async () => (await pm.get(`/api/v1/programs/${key}/rollout-grid`)).body as { rows: Row[] };
    const first = (await pm.post(url).send({ title: 'Training done' })).body;
    const macros = (await pm.post(url).send({ title: 'Macros updated', ownerTeamId: teams[1]!.id, required: false, dueOffsetDays: -3 })).body;
    await pm.post(url).send({ title: 'Comms sent' });
    const [w1, w2] = [await createWave(pm, key, { name: 'W1', plannedGoLive: '2026-09-01' }), await createWave(pm, key, { name: 'W2' })];
    const copies = Object.fromEntries((await grid()).rows.map((r) => [r.title, r.cells]))['Macros updated']!;
    expect(Object.values(copies).every(Boolean)).toBe(true);
    await addMember(key, editorPerson, 'editor');

    expect((await pm.delete(`/api/v1/checklist-template/${macros.id}`)).status).toBe(204);
    expect((await lastActivity(key)).summary).toBe('removed "Macros updated" from the checklist template; the 2 copies in existing waves stay');
    expect((await pm.get(url)).body.items.map((i: Item) => i.title)).toEqual(['Training done', 'Comms sent']);
    // removed: no row of its own; its copies stay on their waves, each as a row of its wave
    expect((await grid()).rows.map((r) => [r.title, r.templateItemId])).toEqual([
      ['Training done', first.id],
      ['Comms sent', expect.any(String)],
      ['Macros updated', null],
      ['Macros updated', null],
    ]);
    // a wave made meanwhile does not get it; it cannot be changed or removed again
    const w3 = await createWave(pm, key, { name: 'W3' });
    expect((await checklist(w3.id)).map((i) => i.title)).toEqual(['Training done', 'Comms sent']);
    expect((await pm.patch(`/api/v1/checklist-template/${macros.id}`).send({ title: 'x' })).status).toBe(404);
    expect((await pm.delete(`/api/v1/checklist-template/${macros.id}`)).status).toBe(404);

    const restored = await pm.post(`/api/v1/checklist-template/${macros.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual(macros);
    expect(await lastActivity(key)).toMatchObject({ entityType: 'checklist_template_item', entityId: macros.id, action: 'restored' });
    expect((await pm.get(url)).body.items.map((i: Item) => i.id)).toEqual([first.id, macros.id, expect.any(String)]);
    // the same row as before the removal, with the same items in it; W3 never had one
    const after = (await grid()).rows;
    expect(after.map((r) => r.title)).toEqual(['Training done', 'Macros updated', 'Comms sent']);
    expect(after[1]).toMatchObject({ templateItemId: macros.id, cells: { [w1.id]: copies[w1.id], [w2.id]: copies[w2.id], [w3.id]: null } });
    expect((await checklist(w1.id)).find((i) => i.title === 'Macros updated')).toMatchObject({ templateItemId: macros.id, dueDate: '2026-08-29' });
    // a wave made now gets it again
    expect((await checklist((await createWave(pm, key, { name: 'W4' })).id)).map((i) => i.title)).toEqual(['Training done', 'Macros updated', 'Comms sent']);

    // restoring what is in the template changes nothing; unknown ids are 404; only owners may
    const activities = (await pm.get(`/api/v1/programs/${key}/activity?limit=200`)).body.items.length;
    expect((await pm.post(`/api/v1/checklist-template/${macros.id}/restore`)).body).toEqual(macros);
    expect((await pm.get(`/api/v1/programs/${key}/activity?limit=200`)).body.items.length).toBe(activities);
    expect((await pm.post('/api/v1/checklist-template/00000000-0000-4000-8000-000000000000/restore')).status).toBe(404);
    expect((await pm.delete(`/api/v1/checklist-template/${macros.id}`)).status).toBe(204);
    expect((await editor.post(`/api/v1/checklist-template/${macros.id}/restore`)).status).toBe(403);
    expect((await outsider.post(`/api/v1/checklist-template/${macros.id}/restore`)).status).toBe(404);
  });
});

describe('waves and their checklists', () => {
  let wave: { id: string; name: string };

  it('instantiates the template when a wave is created (write), due dates from go-live', async () => {
    wave = await createWave(editor, program.key, { name: 'Wave 1', scope: ['Lisbon'], plannedGoLive: '2026-06-15' });
    expect(wave).toMatchObject({ name: 'Wave 1', status: 'planned', completion: { closed: 0, total: 3, percent: 0 }, blockers: 2 });
    const items = await checklist(wave.id);
    expect(items.map((i) => [i.title, i.dueDate, i.required, i.state])).toEqual([
      ['Training done', '2026-06-08', true, 'todo'],
      ['Comms sent', '2026-06-15', false, 'todo'],
      ['Go/no-go sign-off', '2026-06-14', true, 'todo'],
    ]);
    expect(items[0]!.owner).toEqual({ type: 'team', id: teams[0]!.id, name: teams[0]!.name });
    expect(items[1]!.owner).toEqual({ type: 'user', id: editorPerson.id, name: 'Edda Editor' });
    expect(await lastActivity(program.key)).toMatchObject({ entityType: 'wave', entityId: wave.id, action: 'created' });
  });

  it('leaves existing waves alone when the template changes; a wave without go-live has no due dates', async () => {
    const templateItem = (await pm.get(`/api/v1/programs/${program.key}/checklist-template`)).body.items[0];
    await pm.patch(`/api/v1/checklist-template/${templateItem.id}`).send({ title: 'Training complete' });
    expect((await checklist(wave.id))[0]!.title).toBe('Training done');
    const undated = await createWave(pm, program.key, { name: 'Later' });
    const items = await checklist(undated.id);
    expect(items[0]).toMatchObject({ title: 'Training complete', dueDate: null });
    expect((await pm.delete(`/api/v1/waves/${undated.id}`)).status).toBe(204);
    expect((await pm.get(`/api/v1/waves/${undated.id}`)).status).toBe(404);
    expect((await pm.get(`/api/v1/waves/${undated.id}/checklist`)).status).toBe(404);
  });

  it('refuses to go live while required items are open: 409 listing the blockers', async () => {
    const res = await editor.patch(`/api/v1/waves/${wave.id}`).send({ status: 'live' });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Wave 1 cannot go live: 2 required items are open');
    expect(res.body.blockers).toEqual([
      { id: expect.any(String), title: 'Training done', state: 'todo', owner: { type: 'team', id: teams[0]!.id, name: teams[0]!.name } },
      { id: expect.any(String), title: 'Go/no-go sign-off', state: 'todo', owner: null },
    ]);
    // only owners may override
    expect((await editor.patch(`/api/v1/waves/${wave.id}`).send({ status: 'live', overrideReason: 'trust me' })).status).toBe(403);
  });

  it('records who changed an item and when; blocked and not applicable need a reason', async () => {
    const [training, , signOff] = await checklist(wave.id);
    const noReason = await editor.patch(`/api/v1/checklist-items/${training!.id}`).send({ state: 'blocked' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('reason');

    const blocked = await editor.patch(`/api/v1/checklist-items/${training!.id}`).send({ state: 'blocked', reason: 'trainer is ill' });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ state: 'blocked', reason: 'trainer is ill', changedBy: { id: editorPerson.id, name: 'Edda Editor' } });
    expect(Date.parse(blocked.body.changedAt)).toBeGreaterThan(Date.now() - 60_000);
    // clearing the reason of a blocked item is refused too
    expect((await editor.patch(`/api/v1/checklist-items/${training!.id}`).send({ reason: null })).status).toBe(400);
    expect(await lastActivity(program.key)).toMatchObject({ entityType: 'checklist_item', entityId: training!.id, changes: { state: { before: 'todo', after: 'blocked' } } });

    const done = await editor.patch(`/api/v1/checklist-items/${training!.id}`).send({ state: 'done' });
    expect(done.body).toMatchObject({ state: 'done', reason: null });
    expect((await viewer.patch(`/api/v1/checklist-items/${signOff!.id}`).send({ state: 'done' })).status).toBe(403);
    const stillBlocked = await editor.patch(`/api/v1/waves/${wave.id}`).send({ status: 'live' });
    expect(stillBlocked.body.message).toBe('Wave 1 cannot go live: 1 required item is open');

    const na = await editor.patch(`/api/v1/checklist-items/${signOff!.id}`).send({ state: 'not_applicable', reason: 'pilot site only' });
    expect(na.status).toBe(200);
  });

  it('adds items to one wave only (write) and removes them (write) while it is not live', async () => {
    const added = await editor.post(`/api/v1/waves/${wave.id}/checklist`).send({ title: 'Lisbon badge access', ownerTeamId: teams[2]!.id, required: false, dueDate: '2026-06-01' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ title: 'Lisbon badge access', templateItemId: null, owner: { name: teams[2]!.name }, state: 'todo', changedBy: null, position: 3 });
    expect((await viewer.post(`/api/v1/waves/${wave.id}/checklist`).send({ title: 'x' })).status).toBe(403);
    const bad = await editor.post(`/api/v1/waves/${wave.id}/checklist`).send({ title: 'x', dueDate: '15/06/2026' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('dueDate');
    const temp = (await editor.post(`/api/v1/waves/${wave.id}/checklist`).send({ title: 'Temporary' })).body;
    expect((await editor.delete(`/api/v1/checklist-items/${temp.id}`)).status).toBe(204);
    expect(await lastActivity(program.key)).toMatchObject({ entityType: 'checklist_item', entityId: temp.id, action: 'deleted' });
  });

  it('goes live once every required item is done or not applicable, recording wentLiveAt', async () => {
    const res = await editor.patch(`/api/v1/waves/${wave.id}`).send({ status: 'live' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'live', blockers: 0, completion: { closed: 2, total: 4, percent: 50 } });
    expect(Date.parse(res.body.wentLiveAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await lastActivity(program.key)).toMatchObject({ entityType: 'wave', action: 'went_live', changes: { status: { before: 'planned', after: 'live' } } });
    expect((await viewer.get(`/api/v1/waves/${wave.id}`)).body.status).toBe('live');
  });

  it('lets an owner override with a reason, kept in the activity log with the blockers', async () => {
    const pilot = await createWave(pm, program.key, { name: 'Pilot', plannedGoLive: '2026-05-01' });
    expect((await pm.patch(`/api/v1/waves/${pilot.id}`).send({ status: 'live' })).status).toBe(409);
    const res = await pm.patch(`/api/v1/waves/${pilot.id}`).send({ status: 'live', overrideReason: 'leadership accepted the risk' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'live', blockers: 2 });
    const activity = await lastActivity(program.key);
    expect(activity).toMatchObject({ entityType: 'wave', entityId: pilot.id, action: 'overridden' });
    expect(activity.summary).toContain('leadership accepted the risk');
    expect(activity.changes.overrideReason).toEqual({ before: null, after: 'leadership accepted the risk' });
    expect(activity.changes.blockers.before.map((b: { title: string }) => b.title)).toEqual(['Training complete', 'Go/no-go sign-off']);
  });

  it('answers a change with the wave as stored, its updatedAt included', async () => {
    const wave = await createWave(pm, program.key, { name: 'Stamped' });
    const changed = await pm.patch(`/api/v1/waves/${wave.id}`).send({ name: 'Stamped again' });
    expect(changed.status).toBe(200);
    expect(Date.parse(changed.body.updatedAt)).toBeGreaterThan(Date.parse(wave.updatedAt));
    const listed = (await pm.get(`/api/v1/programs/${program.key}/waves?limit=200`)).body.items.find((w: { id: string }) => w.id === wave.id);
    expect(listed).toMatchObject({ name: 'Stamped again', updatedAt: changed.body.updatedAt });
    expect((await pm.delete(`/api/v1/waves/${wave.id}`)).status).toBe(204);
  });

  it('moves checklist due dates with the planned go-live, each keeping its distance from it', async () => {
    const moving = await createWave(pm, program.key, { name: 'Moving', plannedGoLive: '2026-09-15' });
    const [first] = await checklist(moving.id);
    // one due date set by hand: it keeps its own distance from go-live (20 days before)
    expect((await pm.patch(`/api/v1/checklist-items/${first!.id}`).send({ dueDate: '2026-08-26' })).status).toBe(200);
    expect((await pm.patch(`/api/v1/waves/${moving.id}`).send({ plannedGoLive: '2026-09-25' })).status).toBe(200);
    expect((await checklist(moving.id)).map((i) => i.dueDate)).toEqual(['2026-09-05', '2026-09-25', '2026-09-24']);

    // a wave added without a date gets the template's due dates when it is given one
    const undated = await createWave(pm, program.key, { name: 'Undated' });
    expect((await pm.patch(`/api/v1/waves/${undated.id}`).send({ plannedGoLive: '2026-10-10' })).status).toBe(200);
    expect((await checklist(undated.id)).map((i) => i.dueDate)).toEqual(['2026-10-03', '2026-10-10', '2026-10-09']);
    // taking the date away leaves the due dates as they were
    expect((await pm.patch(`/api/v1/waves/${undated.id}`).send({ plannedGoLive: null })).status).toBe(200);
    expect((await checklist(undated.id)).map((i) => i.dueDate)).toEqual(['2026-10-03', '2026-10-10', '2026-10-09']);
    for (const id of [moving.id, undated.id]) expect((await pm.delete(`/api/v1/waves/${id}`)).status).toBe(204);
  });

  it('returns the rollout grid: template rows, then wave-specific rows, one cell per wave', async () => {
    const res = await viewer.get(`/api/v1/programs/${program.key}/rollout-grid`);
    expect(res.status).toBe(200);
    const waves = res.body.waves as { id: string; name: string; status: string; blockers: number; completion: { percent: number } }[];
    expect(waves.map((w) => [w.name, w.status, w.blockers])).toEqual([
      ['Wave 1', 'live', 0],
      ['Pilot', 'live', 2],
    ]);
    const [wave1, pilot] = waves;
    const rows = res.body.rows as { templateItemId: string | null; title: string; cells: Record<string, { state: string; reason: string | null } | null> }[];
    expect(rows.map((r) => r.title)).toEqual(['Training complete', 'Comms sent', 'Go/no-go sign-off', 'Lisbon badge access']);
    expect(rows[2]!.cells[wave1!.id]).toMatchObject({ state: 'not_applicable', reason: 'pilot site only' });
    expect(rows[2]!.cells[pilot!.id]).toMatchObject({ state: 'todo' });
    expect(rows[3]).toMatchObject({ templateItemId: null, required: false, cells: { [wave1!.id]: { state: 'todo', required: false }, [pilot!.id]: null } });

    // each cell carries its own item's "required": one wave's copy of a template item may differ
    expect(rows[0]).toMatchObject({ required: true, cells: { [wave1!.id]: { required: true }, [pilot!.id]: { required: true } } });
    const pilotTraining = (rows[0]!.cells[pilot!.id] as unknown as { itemId: string }).itemId;
    expect((await editor.patch(`/api/v1/checklist-items/${pilotTraining}`).send({ required: false })).status).toBe(200);
    const after = (await viewer.get(`/api/v1/programs/${program.key}/rollout-grid`)).body.rows as typeof rows;
    expect(after[0]).toMatchObject({ required: true, cells: { [wave1!.id]: { required: true }, [pilot!.id]: { itemId: pilotTraining, required: false } } });
    expect((await editor.patch(`/api/v1/checklist-items/${pilotTraining}`).send({ required: true })).status).toBe(200);
  });

  it('exports the checklist as CSV with the fixed columns, guarding formulas', async () => {
    // the wave is live: its items may still be edited, not added to
    const badge = (await checklist(wave.id)).at(-1)!;
    expect((await editor.patch(`/api/v1/checklist-items/${badge.id}`).send({ title: '=HYPERLINK("http://x")' })).status).toBe(200);
    const res = await viewer.get(`/api/v1/waves/${wave.id}/checklist.csv`).buffer(true).parse((r, done) => {
      let text = '';
      r.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      r.on('end', () => done(null, text));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"$/);
    const text = res.body as string;
    expect(text.split('\r\n')[0]).toBe('\uFEFFid,title,owner,required,due_date,state,reason,changed_by,changed_at');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    const rows = parseCsv(text);
    expect(rows[1]).toEqual([expect.any(String), 'Training done', teams[0]!.name, 'yes', '2026-06-08', 'done', '', 'Edda Editor', expect.stringMatching(/^\d{4}-/)]);
    expect(rows[2]!.slice(1, 4)).toEqual(['Comms sent', editorPerson.email, 'no']);
    expect(rows.at(-1)![1]).toBe('=HYPERLINK("http://x")');
    expect((await outsider.get(`/api/v1/waves/${wave.id}/checklist.csv`)).status).toBe(404);
  });
});

describe("a live wave's checklist: the record of what gated its go-live", () => {
  let live: { id: string; name: string };
  const closedToAdding = 'Launch is live: its go-live checklist is closed. Add the item to a wave that is not live, or roll Launch back first.';
  const closedToRemoving = 'Launch is live: its go-live checklist is closed. Mark the item not applicable instead, or roll Launch back first.';

  beforeAll(async () => {
    live = await createWave(pm, program.key, { name: 'Launch' });
    expect((await pm.patch(`/api/v1/waves/${live.id}`).send({ status: 'live', overrideReason: 'the sites asked for it' })).status).toBe(200);
  });

  it('refuses adding an item (409 saying what blocks and what to do instead), and the completion stays', async () => {
    const before = (await pm.get(`/api/v1/waves/${live.id}`)).body.completion;
    const res = await editor.post(`/api/v1/waves/${live.id}/checklist`).send({ title: 'Found after go-live' });
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 409, message: closedToAdding });
    expect((await checklist(live.id)).map((i) => i.title)).not.toContain('Found after go-live');
    expect((await pm.get(`/api/v1/waves/${live.id}`)).body.completion).toEqual(before);
    expect(await lastActivity(program.key)).toMatchObject({ entityType: 'wave', entityId: live.id, action: 'overridden' });
  });

  it('refuses removing one of its items the same way', async () => {
    const [first] = await checklist(live.id);
    const res = await editor.delete(`/api/v1/checklist-items/${first!.id}`);
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 409, message: closedToRemoving });
    expect((await checklist(live.id)).map((i) => i.id)).toContain(first!.id);
  });

  it('refuses setting the live wave straight back to planned or in progress: it leaves live by being rolled back', async () => {
    for (const status of ['planned', 'in_progress']) {
      const res = await pm.patch(`/api/v1/waves/${live.id}`).send({ status, name: 'Renamed meanwhile' });
      expect({ status: res.status, message: res.body.message }).toEqual({
        status: 409,
        message: 'Launch is live: it leaves live only by being rolled back, so its go-live stays on record. Roll Launch back first.',
      });
    }
    expect((await pm.get(`/api/v1/waves/${live.id}`)).body).toMatchObject({ name: 'Launch', status: 'live' });
  });

  it('still lets its items be ticked, un-ticked and edited (items left open by the override need finishing)', async () => {
    const [training] = await checklist(live.id);
    expect((await editor.patch(`/api/v1/checklist-items/${training!.id}`).send({ state: 'done' })).status).toBe(200);
    expect((await editor.patch(`/api/v1/checklist-items/${training!.id}`).send({ state: 'todo' })).status).toBe(200);
    const edited = await editor.patch(`/api/v1/checklist-items/${training!.id}`).send({ title: 'Training complete (all shifts)', ownerUserId: editorPerson.id, dueDate: '2026-07-01', state: 'done' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'Training complete (all shifts)', owner: { id: editorPerson.id }, dueDate: '2026-07-01', state: 'done' });
  });

  it('opens it again once the wave is rolled back, and closes it when the wave goes live again', async () => {
    expect((await pm.patch(`/api/v1/waves/${live.id}`).send({ status: 'rolled_back' })).status).toBe(200);
    const added = await editor.post(`/api/v1/waves/${live.id}/checklist`).send({ title: 'Found after the rollback', required: false });
    expect(added.status).toBe(201);
    expect((await editor.delete(`/api/v1/checklist-items/${added.body.id}`)).status).toBe(204);
    expect((await pm.patch(`/api/v1/waves/${live.id}`).send({ status: 'live', overrideReason: 'second try' })).status).toBe(200);
    expect((await editor.post(`/api/v1/waves/${live.id}/checklist`).send({ title: 'Too late' })).status).toBe(409);
  });

  it('refuses deleting the live wave with its checklist; rolled back, it may be deleted', async () => {
    const refused = await pm.delete(`/api/v1/waves/${live.id}`);
    expect({ status: refused.status, message: refused.body.message }).toEqual({ status: 409, message: 'Launch is live: it and its go-live checklist are the record of its go-live. Roll Launch back first to delete it.' });
    expect((await checklist(live.id)).length).toBeGreaterThan(0);
    expect((await pm.patch(`/api/v1/waves/${live.id}`).send({ status: 'rolled_back' })).status).toBe(200);
    expect((await pm.delete(`/api/v1/waves/${live.id}`)).status).toBe(204);
  });
});

describe('checklist items that milestones wait for', () => {
  it('are not deleted with the links that gate those milestones: 409 naming the milestones, until they are unlinked', async () => {
    const key = (await buildProgram(pm)).key;
    await addMember(key, editorPerson, 'editor');
    const wave = await createWave(pm, key, { name: 'Cutover' });
    const add = async (title: string) => ((await pm.post(`/api/v1/waves/${wave.id}/checklist`).send({ title })).body as Item).id;
    const [badges, scripts, spare] = [await add('Badges issued'), await add('Scripts approved'), await add('Spare item')];
    const milestone = async (title: string, itemIds: string[]) => {
      const id = (await pm.post(`/api/v1/programs/${key}/milestones`).send({ title })).body.id as string;
      expect((await pm.put(`/api/v1/milestones/${id}/checklist-items`).send({ itemIds })).status).toBe(200);
      return id;
    };
    const goLive = await milestone('Go-live', [badges]);
    const handover = await milestone('Handover', [badges, scripts]);
    const links = async (id: string) => (await pm.get(`/api/v1/milestones/${id}`)).body.checklistItemIds as string[];

    const item = await editor.delete(`/api/v1/checklist-items/${badges}`);
    expect(item.status).toBe(409);
    expect(item.body.message).toBe('"Badges issued" cannot be removed from the checklist of "Cutover": the milestones "Go-live", "Handover" wait for "Badges issued" to be closed. Unlink it from those milestones first.');
    expect(item.body.milestones).toEqual([{ id: goLive, title: 'Go-live' }, { id: handover, title: 'Handover' }]);
    const single = await editor.delete(`/api/v1/checklist-items/${scripts}`);
    expect(single.body.message).toBe('"Scripts approved" cannot be removed from the checklist of "Cutover": the milestone "Handover" waits for "Scripts approved" to be closed. Unlink it from that milestone first.');
    const whole = await pm.delete(`/api/v1/waves/${wave.id}`);
    expect(whole.status).toBe(409);
    expect(whole.body.message).toBe('The wave "Cutover" cannot be deleted with its checklist: the milestones "Go-live", "Handover" wait for "Badges issued", "Scripts approved" to be closed. Unlink them from those milestones first.');
    // nothing went: the items, their links, the wave
    expect((await checklist(wave.id)).map((i) => i.id)).toEqual([badges, scripts, spare]);
    expect([await links(goLive), (await links(handover)).sort()]).toEqual([[badges], [badges, scripts].sort()]);

    // an item nobody waits for goes as before; unlinked, the others go too
    expect((await editor.delete(`/api/v1/checklist-items/${spare}`)).status).toBe(204);
    expect((await pm.put(`/api/v1/milestones/${handover}/checklist-items`).send({ itemIds: [] })).status).toBe(200);
    expect((await pm.delete(`/api/v1/waves/${wave.id}`)).body.milestones).toEqual([{ id: goLive, title: 'Go-live' }]);
    expect((await pm.put(`/api/v1/milestones/${goLive}/checklist-items`).send({ itemIds: [] })).status).toBe(200);
    expect((await editor.delete(`/api/v1/checklist-items/${badges}`)).status).toBe(204);
    expect((await pm.delete(`/api/v1/waves/${wave.id}`)).status).toBe(204);
  });
});

describe('access and other programs', () => {
  let foreignWave: string;
  let foreignItem: string;

  beforeAll(async () => {
    foreignWave = (await createWave(pm, other.key, { name: 'Elsewhere' })).id;
    foreignItem = (await pm.post(`/api/v1/waves/${foreignWave}/checklist`).send({ title: 'Theirs' })).body.id;
  });

  it('treats waves and items of a program the caller may not read as missing (404)', async () => {
    expect((await editor.get(`/api/v1/waves/${foreignWave}`)).status).toBe(404);
    expect((await editor.patch(`/api/v1/waves/${foreignWave}`).send({ name: 'Mine' })).status).toBe(404);
    expect((await editor.delete(`/api/v1/waves/${foreignWave}`)).status).toBe(404);
    expect((await editor.get(`/api/v1/waves/${foreignWave}/checklist`)).status).toBe(404);
    expect((await editor.post(`/api/v1/waves/${foreignWave}/checklist`).send({ title: 'x' })).status).toBe(404);
    expect((await editor.patch(`/api/v1/checklist-items/${foreignItem}`).send({ state: 'done' })).status).toBe(404);
    expect((await editor.delete(`/api/v1/checklist-items/${foreignItem}`)).status).toBe(404);
    expect((await editor.get(`/api/v1/programs/${other.key}/waves`)).status).toBe(404);
    expect((await editor.get(`/api/v1/programs/${other.key}/rollout-grid`)).status).toBe(404);
    expect((await editor.get('/api/v1/waves/not-a-uuid')).status).toBe(404);
  });

  it('lets viewers and leadership read but not write (403); anonymous is 401', async () => {
    const leader = await t.signIn('leader@demo.tandem');
    expect((await leader.get(`/api/v1/programs/${program.key}/waves`)).status).toBe(200);
    expect((await leader.post(`/api/v1/programs/${program.key}/waves`).send({ name: 'x' })).status).toBe(403);
    expect((await viewer.post(`/api/v1/programs/${program.key}/waves`).send({ name: 'x' })).status).toBe(403);
    const wave = (await viewer.get(`/api/v1/programs/${program.key}/waves`)).body.items[0];
    expect((await viewer.patch(`/api/v1/waves/${wave.id}`).send({ name: 'x' })).status).toBe(403);
    expect((await viewer.delete(`/api/v1/waves/${wave.id}`)).status).toBe(403);
    expect((await t.http().get(`/api/v1/programs/${program.key}/waves`)).status).toBe(401);
  });

  it('pages the wave list with a cursor and answers 400 to a bad one or a bad body', async () => {
    const first = await pm.get(`/api/v1/programs/${program.key}/waves?limit=1`);
    expect(first.body.items).toHaveLength(1);
    const second = await pm.get(`/api/v1/programs/${program.key}/waves?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    const bad = await pm.get(`/api/v1/programs/${program.key}/waves?cursor=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('cursor');
    const noName = await pm.post(`/api/v1/programs/${program.key}/waves`).send({ plannedGoLive: '2026-13-01' });
    expect(noName.status).toBe(400);
    expect(noName.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'plannedGoLive']);
    const badStatus = await pm.patch(`/api/v1/waves/${first.body.items[0].id}`).send({ status: 'done' });
    expect(badStatus.status).toBe(400);
  });
});
