import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, writeCsv } from '../src/common/csv';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, signInAs, type Agent, type Person, type ProgramBody } from './helpers';

/**
 * Importing a wave's checklist from CSV, through the http api. Real: PostgreSQL (a database of
 * this file's own), the whole Nest app with its text/csv body parser, HTTP through Supertest.
 */

let t: TestApp;
let pm: Agent;
let editor: Agent;
let viewer: Agent;
let outsider: Agent;
let editorPerson: Person;
let program: ProgramBody;
let waveId: string;
let teams: { id: string; name: string }[];

interface Item {
  id: string;
  title: string;
  required: boolean;
  state: string;
  reason: string | null;
  dueDate: string | null;
  owner: { type: string; id: string; name: string } | null;
  changedBy: { id: string; name: string } | null;
}

/** What the import reads: the export's columns less `changed_by` and `changed_at`. */
const KNOWN = ['id', 'title', 'owner', 'required', 'due_date', 'state', 'reason'];
const importUrl = (dryRun?: boolean) => `/api/v1/waves/${waveId}/checklist/import${dryRun === undefined ? '' : `?dryRun=${dryRun}`}`;
const send = (agent: Agent, url: string, csv: string) => agent.post(url).set('Content-Type', 'text/csv').send(csv);
const items = async (): Promise<Item[]> => (await pm.get(`/api/v1/waves/${waveId}/checklist?limit=200`)).body.items;

async function exportText(wave = waveId): Promise<string> {
  const res = await pm.get(`/api/v1/waves/${wave}/checklist.csv`).buffer(true).parse((r, done) => {
    let text = '';
    r.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    r.on('end', () => done(null, text));
  });
  return res.body as string;
}

beforeAll(async () => {
  t = await startTestApp();
  const admin = await t.signIn('admin@demo.tandem');
  pm = await t.signIn('pm@demo.tandem');
  const [e, v, o] = await Promise.all([buildPerson(admin, { name: 'Ines Importer' }), buildPerson(admin), buildPerson(admin)]);
  editorPerson = e;
  program = await buildProgram(pm);
  for (const [person, role] of [[e, 'editor'], [v, 'viewer']] as const) {
    expect((await pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: person.id, role })).status).toBe(201);
  }
  [editor, viewer, outsider] = await Promise.all([signInAs(t, e), signInAs(t, v), signInAs(t, o)]);
  teams = (await admin.get('/api/v1/teams')).body.items;
  await pm.post(`/api/v1/programs/${program.key}/checklist-template`).send({ title: 'Training done', ownerTeamId: teams[0]!.id });
  waveId = (await pm.post(`/api/v1/programs/${program.key}/waves`).send({ name: 'Wave 1', plannedGoLive: '2026-06-15' })).body.id;
});

afterAll(async () => {
  await t?.close();
});

describe('POST /waves/:id/checklist/import', () => {
  const bad = () =>
    writeCsv([
    ['Title', 'Owner', 'Required', 'Due', 'State', 'Reason'],
    ['Macros updated', 'nobody@nowhere.test', 'yes', '2026-06-01', 'todo', ''],
    ['Comms sent', teams[0]!.name, 'maybe', '01/06/2026', 'blocked', ''],
    ['', '', '', '', '', ''],
    ['', '', 'no', '', '', ''],
  ]);

  it('reports every row error in a dry run and writes nothing', async () => {
    const res = await send(editor, importUrl(true), bad());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: true, valid: false });
    const fields = (res.body.rows as { line: number; errors: { field: string }[] }[]).map((r) => [r.line, [...new Set(r.errors.map((e) => e.field))].sort()]);
    expect(fields).toEqual([
      [2, ['owner']],
      [3, ['due_date', 'reason', 'required']],
      [5, ['title']],
    ]);
    expect(await items()).toHaveLength(1);
  });

  it('refuses the whole file when any row is wrong (400 with the rows), writing nothing', async () => {
    const res = await send(editor, importUrl(), bad());
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('The file has errors; nothing was imported');
    expect(res.body.errors[0]).toEqual({ field: 'line 2: owner', reason: 'no active person has this email' });
    expect(await items()).toHaveLength(1);
  });

  it('adds rows matched by header, in any order and case, with an activity row each', async () => {
    const csv = writeCsv([
      ['state', 'REASON', 'title', 'owner', 'required', 'due_date'],
      ['not applicable', 'no macros in this site', 'Macros updated', editorPerson.email.toUpperCase(), 'false', '2026-06-01'],
      ['', '', 'Comms sent', teams[1]!.name.toLowerCase(), '', ''],
    ]);
    const dry = await send(editor, importUrl(true), csv);
    expect(dry.body).toMatchObject({ dryRun: true, valid: true, rows: [{ line: 2, action: 'create', errors: [] }, { line: 3, action: 'create', errors: [] }] });
    const res = await send(editor, importUrl(false), csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, valid: true });
    const after = await items();
    expect(after.map((i) => [i.title, i.state, i.reason, i.required, i.dueDate, i.owner?.name])).toEqual([
      ['Training done', 'todo', null, true, '2026-06-15', teams[0]!.name],
      ['Macros updated', 'not_applicable', 'no macros in this site', false, '2026-06-01', 'Ines Importer'],
      ['Comms sent', 'todo', null, true, null, teams[1]!.name],
    ]);
    expect(after[1]!.changedBy).toEqual({ id: editorPerson.id, name: 'Ines Importer' });
    const activity = (await pm.get(`/api/v1/programs/${program.key}/activity?limit=2`)).body.items;
    expect(activity.map((a: { action: string; entityType: string }) => `${a.entityType}:${a.action}`)).toEqual(['checklist_item:created', 'checklist_item:created']);
  });

  it('takes its own export back: rows with an id of this wave update that item', async () => {
    const rows = parseCsv(await exportText());
    const training = rows.findIndex((r) => r[1] === 'Training done');
    rows[training]![5] = 'done';
    const res = await send(editor, importUrl(), writeCsv(rows));
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { action: string }) => r.action)).toEqual(['update', 'unchanged', 'unchanged']);
    const after = await items();
    expect(after).toHaveLength(3);
    expect(after[0]).toMatchObject({ title: 'Training done', state: 'done', changedBy: { name: 'Ines Importer' } });
    const activity = (await pm.get(`/api/v1/programs/${program.key}/activity?limit=5`)).body.items;
    // only the changed row is recorded
    expect(activity[0]).toMatchObject({ entityType: 'checklist_item', entityId: after[0]!.id, action: 'updated', changes: { state: { before: 'todo', after: 'done' } } });
    expect(activity[1].action).toBe('created');
  });

  it('says which rows of a re-imported export change nothing, and writes nothing for them', async () => {
    const exported = await exportText();
    const before = await items();
    expect(before.map((i) => i.state)).toEqual(['done', 'not_applicable', 'todo']);
    const activityCount = async () => ((await pm.get(`/api/v1/programs/${program.key}/activity?limit=200`)).body.items as unknown[]).length;
    const activityBefore = await activityCount();

    const dry = await send(editor, importUrl(true), exported);
    // changed_by and changed_at are the export's own: not read, and not reported as ignored
    expect(dry.body).toEqual({ dryRun: true, valid: true, ignoredColumns: [], knownColumns: KNOWN, rows: before.map((_, i) => ({ line: i + 2, action: 'unchanged', errors: [] })) });
    const real = await send(editor, importUrl(false), exported);
    expect(real.status).toBe(200);
    expect(real.body.rows).toEqual(before.map((item, i) => ({ line: i + 2, action: 'unchanged', errors: [], id: item.id })));
    expect(await items()).toEqual(before);
    expect(await activityCount()).toBe(activityBefore);

    // one cell changed, every owner (team names, an email) in capitals: only that row updates
    const rows = parseCsv(exported);
    const edited = rows.map((row, r) => (r === 0 ? row : row.map((cell, i) => (i === 2 ? cell.toUpperCase() : i === 4 && row[1] === 'Comms sent' ? '2026-06-10' : cell))));
    const changed = await send(editor, importUrl(false), writeCsv(edited));
    expect(changed.body.rows.map((r: { action: string }) => r.action)).toEqual(['unchanged', 'unchanged', 'update']);
    const after = await items();
    expect(after[2]).toMatchObject({ title: 'Comms sent', dueDate: '2026-06-10' });
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
    expect(await activityCount()).toBe(activityBefore + 1);
  });

  it('names the columns it does not read, and refuses new rows without a title column naming it', async () => {
    const wave = (await pm.post(`/api/v1/programs/${program.key}/waves`).send({ name: 'Columns wave' })).body.id;
    const url = (dryRun: boolean) => `/api/v1/waves/${wave}/checklist/import?dryRun=${dryRun}`;
    const csv = writeCsv([
      ['Title', 'Owner Email', 'Site', 'Changed By', 'Comment'],
      ['Printers checked', editorPerson.email, 'Leeds', 'someone', 'call IT first'],
    ]);
    const dry = await send(editor, url(true), csv);
    expect(dry.body).toEqual({ dryRun: true, valid: true, ignoredColumns: ['Site', 'Comment'], knownColumns: KNOWN, rows: [{ line: 2, action: 'create', errors: [] }] });
    const real = await send(editor, url(false), csv);
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ dryRun: false, valid: true, ignoredColumns: ['Site', 'Comment'], knownColumns: KNOWN });

    const reason = 'the file has no title column, and a new row needs a title';
    const missing = writeCsv([['Tittle', 'owner'], ['Badges printed', teams[0]!.name]]);
    expect((await send(editor, url(true), missing)).body).toMatchObject({ valid: false, ignoredColumns: ['Tittle'], rows: [{ line: 2, action: 'create', errors: [{ field: 'title', reason }] }] });
    const refused = await send(editor, url(false), missing);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ errors: [{ field: 'line 2: title', reason }], ignoredColumns: ['Tittle'], knownColumns: KNOWN });
    expect((await pm.get(`/api/v1/waves/${wave}/checklist`)).body.items.map((i: Item) => i.title)).toEqual(['Training done', 'Printers checked']);
  });

  it('takes back its own export of an item whose owner was deactivated, but names nobody deactivated as a new owner', async () => {
    const admin = await t.signIn('admin@demo.tandem');
    const leaver = await buildPerson(admin);
    const wave = (await pm.post(`/api/v1/programs/${program.key}/waves`).send({ name: 'Leaver wave' })).body.id;
    const url = (dryRun: boolean) => `/api/v1/waves/${wave}/checklist/import?dryRun=${dryRun}`;
    const made = await pm.post(`/api/v1/waves/${wave}/checklist`).send({ title: 'Desk cleared', ownerUserId: leaver.id });
    expect(made.status).toBe(201);
    expect((await admin.patch(`/api/v1/users/${leaver.id}`).send({ active: false })).status).toBe(200);
    const waveItems = async (): Promise<Item[]> => (await pm.get(`/api/v1/waves/${wave}/checklist`)).body.items;
    const before = await waveItems();
    const exported = await exportText(wave);

    // as it is (the owner's email in capitals too): every row unchanged, nothing written
    const shouted = writeCsv(parseCsv(exported).map((row, r) => (r === 0 ? row : row.map((cell, i) => (i === 2 ? cell.toUpperCase() : cell)))));
    for (const csv of [exported, shouted]) {
      const res = await send(editor, url(false), csv);
      expect(res.status).toBe(200);
      expect(res.body.rows.map((r: { action: string }) => r.action)).toEqual(['unchanged', 'unchanged']);
    }
    expect(await waveItems()).toEqual(before);

    // another cell of that row changed: an update that keeps the deactivated owner
    const rows = parseCsv(exported);
    const renamed = rows.map((row) => (row[0] === made.body.id ? row.map((cell, i) => (i === 1 ? 'Desk cleared and wiped' : cell)) : row));
    const update = await send(editor, url(false), writeCsv(renamed));
    expect(update.status).toBe(200);
    expect(update.body.rows.map((r: { action: string }) => r.action)).toEqual(['unchanged', 'update']);
    expect((await waveItems())[1]).toMatchObject({ title: 'Desk cleared and wiped', owner: { type: 'user', id: leaver.id } });

    // the deactivated person as the owner of the team's item, or of a new one: refused as before
    const training = before[0]!;
    const handedOver = writeCsv([
      ['id', 'title', 'owner'],
      [training.id, training.title, leaver.email],
      ['', 'Laptop returned', leaver.email],
    ]);
    const refused = await send(editor, url(true), handedOver);
    const error = { field: 'owner', reason: 'no active person has this email' };
    expect(refused.body.rows).toEqual([
      { line: 2, action: 'update', errors: [error] },
      { line: 3, action: 'create', errors: [error] },
    ]);
    expect((await send(editor, url(false), handedOver)).status).toBe(400);
    expect((await waveItems())[0]!.owner).toMatchObject({ type: 'team', id: teams[0]!.id });
  });

  it('never touches an item of another wave: its id only adds a row here', async () => {
    const other = (await pm.post(`/api/v1/programs/${program.key}/waves`).send({ name: 'Wave 2' })).body.id;
    const foreign = (await pm.get(`/api/v1/waves/${other}/checklist`)).body.items[0];
    const res = await send(editor, importUrl(true), writeCsv([['id', 'title', 'state'], [foreign.id, 'Hijack', 'done']]));
    expect(res.body.rows).toEqual([{ line: 2, action: 'create', errors: [] }]);
  });

  it('refuses each new row of a live wave as a row error, in the dry run and the real run, still checking its updates; open again once rolled back', async () => {
    const live = (await pm.post(`/api/v1/programs/${program.key}/waves`).send({ name: 'Pilot' })).body.id as string;
    expect((await pm.patch(`/api/v1/waves/${live}`).send({ status: 'live', overrideReason: 'the site asked for it' })).status).toBe(200);
    const [training] = (await pm.get(`/api/v1/waves/${live}/checklist`)).body.items as Item[];
    const url = (dryRun: boolean) => `/api/v1/waves/${live}/checklist/import?dryRun=${dryRun}`;
    const csv = writeCsv([['id', 'title', 'state'], [training!.id, 'Training done', 'done'], ['', 'Found after go-live', '']]);
    const closed = 'Pilot is live: its go-live checklist is closed. Add the item to a wave that is not live, or roll Pilot back first.';

    const dry = await send(editor, url(true), csv);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, valid: false, ignoredColumns: [], rows: [{ line: 2, action: 'update', errors: [] }, { line: 3, action: 'create', errors: [{ field: 'row', reason: closed }] }] });
    const real = await send(editor, url(false), csv);
    expect(real.status).toBe(400);
    expect(real.body.errors).toEqual([{ field: 'line 3: row', reason: closed }]);
    expect(((await pm.get(`/api/v1/waves/${live}/checklist`)).body.items as Item[]).map((i) => [i.title, i.state])).toEqual([['Training done', 'todo']]);

    // updates alone go through: ticking a live wave's items stays allowed
    const updates = writeCsv([['id', 'state'], [training!.id, 'done']]);
    expect((await send(editor, url(false), updates)).body).toMatchObject({ valid: true, rows: [{ action: 'update', errors: [] }] });

    expect((await pm.patch(`/api/v1/waves/${live}`).send({ status: 'rolled_back' })).status).toBe(200);
    const reopened = await send(editor, url(false), csv);
    expect(reopened.status).toBe(200);
    expect(((await pm.get(`/api/v1/waves/${live}/checklist`)).body.items as Item[]).map((i) => [i.title, i.state])).toEqual([['Training done', 'done'], ['Found after go-live', 'todo']]);
  });

  it('answers 403 to viewers, 404 to non-members and unknown waves, 415 to JSON, 400 to an empty or unreadable file', async () => {
    const csv = 'title\nx\n';
    expect((await send(viewer, importUrl(), csv)).status).toBe(403);
    expect((await send(viewer, importUrl(true), csv)).status).toBe(403);
    expect((await send(outsider, importUrl(), csv)).status).toBe(404);
    expect((await send(pm, '/api/v1/waves/00000000-0000-4000-8000-000000000000/checklist/import', csv)).status).toBe(404);
    expect((await pm.post(importUrl()).send({ title: 'x' })).status).toBe(415);
    const empty = await send(pm, importUrl(), '');
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('body');
    expect((await send(pm, importUrl(), 'title\n"unclosed\n')).status).toBe(400);
    expect((await send(pm, importUrl(), 'colour,size\nred,big\n')).status).toBe(400);
    expect((await send(pm, importUrl(), 'title,title\na,b\n')).status).toBe(400);
    expect((await pm.post(`${importUrl()}?dryRun=maybe`).set('Content-Type', 'text/csv').send(csv)).status).toBe(400);
  });
});
