import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, writeCsv } from '../src/common/csv';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, type Agent, type ProgramBody } from './helpers';
import { activityOf, buildChecklistItem, buildMilestone, setUpPlanning, type MilestoneBody, type Planning } from './milestones-fixtures';

/**
 * Milestones CSV export and import through the http api. Real: PostgreSQL (a database of this
 * file's own), the whole Nest app with the text/csv body parser on the import route, sessions,
 * HTTP through Supertest; the export is read back with the shared CSV reader, as a spreadsheet
 * would split it. Checklist items are inserted through the ORM (another area's api).
 */

let t: TestApp;
let p: Planning;

const HEADER = 'id,title,description,owner_email,start_date,due_date,status,workstream,position,baseline_due_date,slip_days';
/** What the import reads: the export's columns less the computed ones. */
const KNOWN = ['id', 'title', 'description', 'owner_email', 'start_date', 'due_date', 'status', 'workstream', 'position'];

beforeAll(async () => {
  t = await startTestApp();
  p = await setUpPlanning(t);
});

afterAll(async () => {
  await t?.close();
});

/** Supertest leaves text/csv as text; the body keeps the byte-order mark. */
async function exportOf(agent: Agent, program: ProgramBody) {
  const res = await agent.get(`/api/v1/programs/${program.key}/milestones.csv`).buffer(true);
  return res;
}

function importCsv(agent: Agent, program: ProgramBody, csv: string, dryRun: boolean) {
  return agent.post(`/api/v1/programs/${program.key}/milestones/import?dryRun=${dryRun}`).set('Content-Type', 'text/csv').send(csv);
}

async function milestonesOf(program: ProgramBody): Promise<MilestoneBody[]> {
  const res = await p.pm.get(`/api/v1/programs/${program.key}/milestones?limit=200`);
  return res.body.items as MilestoneBody[];
}

describe('export', () => {
  it('downloads a CSV that opens with correct quoting and neutralised formulas', async () => {
    const program = await buildProgram(p.pm);
    const nasty = 'Go-live, "Wave 1"';
    const lines = 'First line\nsecond, "quoted" line';
    const m = await buildMilestone(p.pm, program.key, {
      title: nasty,
      description: lines,
      ownerId: p.editorPerson.id,
      startDate: '2026-09-01',
      dueDate: '2026-09-10',
      workstream: 'Comms',
    });
    const formula = await buildMilestone(p.pm, program.key, { title: '=HYPERLINK("http://evil.test","click")', description: '@SUM(1)' });
    expect((await p.pm.post(`/api/v1/programs/${program.key}/baselines`).send({})).status).toBe(201);
    await p.pm.patch(`/api/v1/milestones/${m.id}`).send({ dueDate: '2026-09-13' });

    const res = await exportOf(p.leader, program);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${program.key}-milestones.csv"`);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    // quoted, quotes doubled, a line break kept inside the quotes
    expect(res.text).toContain('"Go-live, ""Wave 1"""');
    expect(res.text).toContain('"First line\nsecond, ""quoted"" line"');
    expect(res.text).toContain(`'=HYPERLINK(""http://evil.test"",""click"")`);

    const [header, ...rows] = parseCsv(res.text);
    expect(header!.join(',')).toBe(HEADER);
    const byId = new Map(rows.map((r) => [r[0], r]));
    expect(byId.get(m.id)).toEqual([m.id, nasty, lines, p.editorPerson.email, '2026-09-01', '2026-09-13', 'not_started', 'Comms', String(m.position), '2026-09-10', '3']);
    expect(byId.get(formula.id)!.slice(1, 3)).toEqual(['=HYPERLINK("http://evil.test","click")', '@SUM(1)']);
    // what a spreadsheet shows: the cell starts with the apostrophe, so it is text, not a formula
    const raw = parseCsv(res.text, { unguardFormulas: false });
    expect(raw.find((r) => r[0] === formula.id)!.slice(1, 3)).toEqual(['\'=HYPERLINK("http://evil.test","click")', "'@SUM(1)"]);
  });

  it('answers 404 to people who may not read the program', async () => {
    expect((await exportOf(p.outsider, p.program)).status).toBe(404);
    expect((await exportOf(p.viewer, p.program)).status).toBe(200);
  });
});

describe('import', () => {
  it('dry run lists row errors and writes nothing', async () => {
    const program = await buildProgram(p.pm);
    const csv = writeCsv([
      ['Title', 'Owner', 'Start', 'Due', 'Status', 'Position', 'Notes'],
      ['Policy', 'pm@demo.tandem', '2026-01-01', '2026-01-31', 'In progress', '3', 'ignored'],
      ['', 'nobody@example.test', '2026-02-30', '', 'finished', 'abc', ''],
      ['Bad order', '', '2026-03-10', '2026-03-01', '', '', ''],
    ]);
    // the editor of another program is told this one does not exist
    expect((await importCsv(p.editor, program, csv, true)).status).toBe(404);
    const owner = await importCsv(p.pm, program, csv, true);
    expect(owner.status).toBe(200);
    expect(owner.body.dryRun).toBe(true);
    expect(owner.body.valid).toBe(false);
    const [ok, bad, order] = owner.body.rows;
    expect(ok).toEqual({ line: 2, action: 'create', errors: [] });
    expect(bad.line).toBe(3);
    expect(bad.errors.map((e: { field: string }) => e.field).sort()).toEqual(['owner_email', 'position', 'start_date', 'status', 'title']);
    expect(order).toEqual({ line: 4, action: 'create', errors: [{ field: 'due_date', reason: 'must not be before start_date' }] });
    expect(await milestonesOf(program)).toEqual([]);
  });

  it('creates from columns matched by header name, in one transaction with one activity row each', async () => {
    const csv = writeCsv([
      ['TITLE', 'owner email', 'due', 'Work Stream', 'status'],
      ['Training done', 'qa.lead@demo.tandem', '2026-04-01', 'Training', 'In Progress'],
      ['Retro', '', '', '', ''],
    ]);
    const dry = await importCsv(p.editor, p.program, csv, true);
    expect(dry.body).toMatchObject({ dryRun: true, valid: true, rows: [{ line: 2, action: 'create', errors: [] }, { line: 3, action: 'create', errors: [] }] });
    const res = await importCsv(p.editor, p.program, csv, false);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, valid: true });
    const ids = (res.body.rows as { id: string }[]).map((r) => r.id);
    const [training, retro] = await Promise.all(ids.map(async (id) => (await p.pm.get(`/api/v1/milestones/${id}`)).body as MilestoneBody));
    expect(training).toMatchObject({ title: 'Training done', dueDate: '2026-04-01', workstream: 'Training', status: 'in_progress', owner: { name: 'Quinn QA-Lead' } });
    expect(retro).toMatchObject({ title: 'Retro', status: 'not_started', owner: null, workstream: null });
    expect(retro!.position).toBe(training!.position + 1);
    for (const id of ids) {
      const rows = await activityOf(p.pm, p.program.key, id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'created', entityType: 'milestone' });
    }
  });

  it('round-trips its own export, updating the rows whose id matches', async () => {
    const program = await buildProgram(p.pm);
    const a = await buildMilestone(p.pm, program.key, { title: 'Comms, "final" version', description: 'Two\nlines', dueDate: '2026-05-01' });
    const b = await buildMilestone(p.pm, program.key, { title: '=1+1', description: '-minus' });
    const exported = parseCsv((await exportOf(p.pm, program)).text);
    const edited = exported.map((row) => (row[0] === a.id ? row.map((cell, i) => (i === 5 ? '2026-05-09' : cell)) : row));
    const res = await importCsv(p.pm, program, writeCsv(edited, { bom: true }), false);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { action: string; id: string }) => [r.action, r.id]).sort()).toEqual([['update', a.id], ['unchanged', b.id]].sort());
    const after = await milestonesOf(program);
    expect(after).toHaveLength(2);
    expect(after.find((m) => m.id === a.id)).toMatchObject({ title: 'Comms, "final" version', description: 'Two\nlines', dueDate: '2026-05-09' });
    expect(after.find((m) => m.id === b.id)).toMatchObject({ title: '=1+1', description: '-minus' });
    // only the changed milestone gets an activity row
    expect((await activityOf(p.pm, program.key, a.id))[0]).toMatchObject({ action: 'updated', changes: { dueDate: { before: '2026-05-01', after: '2026-05-09' } } });
    expect((await activityOf(p.pm, program.key, b.id)).map((r) => r.action)).toEqual(['created']);
  });

  it('says which rows of a re-imported export change nothing, and writes nothing for them', async () => {
    const program = await buildProgram(p.pm);
    const full = await buildMilestone(p.pm, program.key, {
      title: 'Go-live, "Wave 1"',
      description: '=not a formula\nsecond line',
      ownerId: p.editorPerson.id,
      startDate: '2026-09-01',
      dueDate: '2026-09-10',
      status: 'in_progress',
      workstream: 'Comms',
    });
    const bare = await buildMilestone(p.pm, program.key, { title: 'Retro' });
    const done = await buildMilestone(p.pm, program.key, { title: 'Kick-off', dueDate: '2026-01-15' });
    await p.pm.patch(`/api/v1/milestones/${done.id}`).send({ status: 'done' });
    // a baseline gives the export's computed columns a value, which the import leaves alone
    expect((await p.pm.post(`/api/v1/programs/${program.key}/baselines`).send({})).status).toBe(201);
    await p.pm.patch(`/api/v1/milestones/${full.id}`).send({ dueDate: '2026-09-12' });
    const before = await milestonesOf(program);
    const activityCount = async () => ((await p.pm.get(`/api/v1/programs/${program.key}/activity?limit=200`)).body.items as unknown[]).length;
    const activityBefore = await activityCount();
    const exported = (await exportOf(p.pm, program)).text;
    const ids = [full.id, bare.id, done.id];

    const dry = await importCsv(p.pm, program, exported, true);
    // the description's line break puts the second milestone on line 4
    const lines = [2, 4, 5];
    // the export's computed columns are known: not read, and not reported as ignored
    expect(dry.body).toEqual({ dryRun: true, valid: true, ignoredColumns: [], knownColumns: KNOWN, rows: lines.map((line) => ({ line, action: 'unchanged', errors: [] })) });
    const real = await importCsv(p.pm, program, exported, false);
    expect(real.status).toBe(200);
    expect(real.body.rows).toEqual(ids.map((id, i) => ({ line: lines[i], action: 'unchanged', errors: [], id })));
    expect(await milestonesOf(program)).toEqual(before);
    expect(await activityCount()).toBe(activityBefore);

    // one cell changed, the owner's email in capitals (the same person): only that row updates
    const rows = parseCsv(exported);
    const edited = rows.map((row, r) => (r === 0 ? row : row.map((cell, i) => (i === 3 ? cell.toUpperCase() : i === 7 && row[0] === bare.id ? 'Ops' : cell))));
    const changed = await importCsv(p.pm, program, writeCsv(edited), false);
    expect(changed.body.rows.map((r: { action: string; id: string }) => [r.id, r.action])).toEqual([
      [full.id, 'unchanged'],
      [bare.id, 'update'],
      [done.id, 'unchanged'],
    ]);
    const after = await milestonesOf(program);
    expect(after.find((m) => m.id === bare.id)).toMatchObject({ workstream: 'Ops' });
    expect(after.filter((m) => m.id !== bare.id)).toEqual(before.filter((m) => m.id !== bare.id));
    expect(await activityCount()).toBe(activityBefore + 1);
  });

  it('names the columns it does not read, in a dry run, a real run and a refusal, and still imports the file', async () => {
    const program = await buildProgram(p.pm);
    const m = await buildMilestone(p.pm, program.key, { title: 'Kick-off' });
    // another tool's export: "Owner Email" and "Due" are read (case and spaces do not matter), the rest is not
    const csv = writeCsv([
      ['Title', 'Owner Email', ' Notes ', 'Due', 'Assignee', 'slip_days', ''],
      ['Training', p.editorPerson.email, 'bring slides', '2026-04-01', 'Sam', '3', 'x'],
    ]);
    const dry = await importCsv(p.pm, program, csv, true);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ dryRun: true, valid: true, ignoredColumns: ['Notes', 'Assignee'], knownColumns: KNOWN, rows: [{ line: 2, action: 'create', errors: [] }] });
    const real = await importCsv(p.pm, program, csv, false);
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ dryRun: false, valid: true, ignoredColumns: ['Notes', 'Assignee'], knownColumns: KNOWN });
    const made = (await p.pm.get(`/api/v1/milestones/${real.body.rows[0].id}`)).body as MilestoneBody;
    expect(made).toMatchObject({ title: 'Training', dueDate: '2026-04-01', owner: { id: p.editorPerson.id } });

    // a typo in a column that updates do not need: the rows with an id still import, and the typo is named
    const typo = writeCsv([
      ['id', 'Tittle', 'due_date'],
      [m.id, 'Kick-off renamed', '2026-02-01'],
    ]);
    const updated = await importCsv(p.pm, program, typo, false);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ ignoredColumns: ['Tittle'], rows: [{ action: 'update', id: m.id }] });
    expect((await p.pm.get(`/api/v1/milestones/${m.id}`)).body).toMatchObject({ title: 'Kick-off', dueDate: '2026-02-01' });

    // a new milestone needs the title column: each new row says so, and the real run is refused naming it
    const missing = writeCsv([
      ['Tittle', 'due_date'],
      ['Go-live', '2026-05-01'],
    ]);
    const reason = 'the file has no title column, and a new row needs a title';
    const check = await importCsv(p.pm, program, missing, true);
    expect(check.body).toEqual({ dryRun: true, valid: false, ignoredColumns: ['Tittle'], knownColumns: KNOWN, rows: [{ line: 2, action: 'create', errors: [{ field: 'title', reason }] }] });
    const refused = await importCsv(p.pm, program, missing, false);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ errors: [{ field: 'line 2: title', reason }], ignoredColumns: ['Tittle'], knownColumns: KNOWN });
    expect((await milestonesOf(program)).map((x) => x.title).sort()).toEqual(['Kick-off', 'Training']);
  });

  it('takes back its own export of a milestone whose owner was deactivated, but names nobody deactivated as a new owner', async () => {
    const program = await buildProgram(p.pm);
    const leaver = await buildPerson(p.admin);
    expect((await p.pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: leaver.id, role: 'editor' })).status).toBe(201);
    const owned = await buildMilestone(p.pm, program.key, { title: 'Handover', ownerId: leaver.id, dueDate: '2026-07-01' });
    const other = await buildMilestone(p.pm, program.key, { title: 'Retro' });
    expect((await p.admin.patch(`/api/v1/users/${leaver.id}`).send({ active: false })).status).toBe(200);
    const exported = (await exportOf(p.pm, program)).text;

    // as it is: every row unchanged, the deactivated owner kept
    const dry = await importCsv(p.pm, program, exported, true);
    expect(dry.body).toMatchObject({ valid: true, rows: [{ action: 'unchanged' }, { action: 'unchanged' }] });
    const same = await importCsv(p.pm, program, exported, false);
    expect(same.status).toBe(200);
    expect(same.body.rows.map((r: { action: string }) => r.action)).toEqual(['unchanged', 'unchanged']);

    // another cell of that row changed: an update that keeps the owner
    const rows = parseCsv(exported);
    const renamed = rows.map((row) => (row[0] === owned.id ? row.map((cell, i) => (i === 1 ? 'Handover done' : cell)) : row));
    const update = await importCsv(p.pm, program, writeCsv(renamed), false);
    expect(update.status).toBe(200);
    expect(update.body.rows.map((r: { action: string }) => r.action)).toEqual(['update', 'unchanged']);
    expect((await p.pm.get(`/api/v1/milestones/${owned.id}`)).body).toMatchObject({ title: 'Handover done', owner: { id: leaver.id } });

    // the deactivated person as the owner of another milestone, or of a new one: refused as before
    const handedOver = writeCsv([
      ['id', 'title', 'owner_email'],
      [other.id, 'Retro', leaver.email],
      ['', 'Follow-up', leaver.email.toUpperCase()],
    ]);
    const refused = await importCsv(p.pm, program, handedOver, true);
    expect(refused.body.rows).toEqual([
      { line: 2, action: 'update', errors: [{ field: 'owner_email', reason: 'no active person has this email' }] },
      { line: 3, action: 'create', errors: [{ field: 'owner_email', reason: 'no active person has this email' }] },
    ]);
    expect((await importCsv(p.pm, program, handedOver, false)).status).toBe(400);
    expect((await p.pm.get(`/api/v1/milestones/${other.id}`)).body.owner).toBeNull();
  });

  it('writes nothing when any row is invalid (400 with the row errors)', async () => {
    const program = await buildProgram(p.pm);
    const m = await buildMilestone(p.pm, program.key, { title: 'Keep me', startDate: '2026-06-01' });
    const csv = writeCsv([
      ['id', 'title', 'due_date'],
      [m.id, 'Renamed', '2026-05-01'],
      ['', 'New one', ''],
    ]);
    const res = await importCsv(p.pm, program, csv, false);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ dryRun: false, valid: false });
    expect(res.body.rows).toEqual([
      { line: 2, action: 'update', errors: [{ field: 'due_date', reason: 'due_date must not be before start_date' }] },
      { line: 3, action: 'create', errors: [] },
    ]);
    expect(res.body.errors).toEqual([{ field: 'line 2: due_date', reason: 'due_date must not be before start_date' }]);
    expect((await milestonesOf(program)).map((x) => x.title)).toEqual(['Keep me']);
  });

  it('refuses done over open linked items, twice the same id, and treats another program\'s id as a new milestone', async () => {
    const program = await buildProgram(p.pm);
    const gated = await buildMilestone(p.pm, program.key, { title: 'Gated' });
    const item = await buildChecklistItem(t, program.id, 'Sign-off');
    await p.pm.put(`/api/v1/milestones/${gated.id}/checklist-items`).send({ itemIds: [item.id] });
    const foreign = await buildMilestone(p.pm, p.other.key, { title: 'Foreign' });
    const csv = writeCsv([
      ['id', 'title', 'status'],
      [gated.id, 'Gated', 'done'],
      [gated.id, 'Gated again', ''],
      [foreign.id, 'Copied from elsewhere', ''],
    ]);
    const res = await importCsv(p.pm, program, csv, true);
    expect(res.body.rows).toEqual([
      { line: 2, action: 'update', errors: [{ field: 'status', reason: 'cannot be done: 1 linked checklist item is still open' }] },
      { line: 3, action: 'update', errors: [{ field: 'id', reason: 'the same milestone is already on line 2' }] },
      { line: 4, action: 'create', errors: [] },
    ]);
    const ok = await importCsv(p.pm, program, writeCsv([['id', 'title'], [foreign.id, 'Copied from elsewhere']]), false);
    expect(ok.status).toBe(200);
    expect(ok.body.rows[0].id).not.toBe(foreign.id);
    expect((await p.pm.get(`/api/v1/milestones/${foreign.id}`)).body.title).toBe('Foreign');
  });

  it('answers 400 for a file it cannot read, 415 without text/csv, 413 over 1 MB, and checks access first', async () => {
    const program = p.program;
    const broken = await importCsv(p.pm, program, 'title\n"never closed', true);
    expect(broken.status).toBe(400);
    expect(broken.body.errors).toEqual([{ field: 'body', reason: 'line 2: a quoted field is never closed' }]);
    const unknown = await importCsv(p.pm, program, 'colour,size\nred,big\n', true);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('body');
    expect((await importCsv(p.pm, program, 'title,Title\nx,y\n', true)).status).toBe(400);
    expect((await importCsv(p.pm, program, '', true)).status).toBe(400);
    const json = await p.pm.post(`/api/v1/programs/${program.key}/milestones/import?dryRun=true`).send({ title: 'x' });
    expect(json.status).toBe(415);
    const huge = await importCsv(p.pm, program, `title\n${'x'.repeat(1024 * 1024)}\n`, true);
    expect(huge.status).toBe(413);
    expect((await importCsv(p.pm, program, 'title\nx\n', 'maybe' as unknown as boolean)).status).toBe(400);
    expect((await importCsv(p.outsider, program, 'title\n"never closed', true)).status).toBe(404);
    expect((await importCsv(p.viewer, program, 'title\nx\n', false)).status).toBe(403);
    expect((await importCsv(p.leader, program, 'title\nx\n', true)).status).toBe(403);
    expect((await t.http().post(`/api/v1/programs/${program.key}/milestones/import`).set('Content-Type', 'text/csv').send('title\nx\n')).status).toBe(401);
  });
});

describe('documentation', () => {
  it('documents the CSV routes in the OpenAPI output', async () => {
    const res = await p.pm.get('/api/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    expect(paths['/api/v1/programs/{program}/milestones.csv']?.get).toBeDefined();
    expect(Object.keys(paths['/api/v1/programs/{program}/milestones/import']?.post?.requestBody?.content ?? {})).toEqual(['text/csv']);
  });
});
