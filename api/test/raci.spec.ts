import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Milestone } from '../src/milestones/milestone.entity';
import { SignalsService } from '../src/signals/signals.service';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, signInAs, unique, type Agent, type Person, type ProgramBody } from './helpers';

/**
 * The RACI matrix through the http api. Real: PostgreSQL (a database of this file's own, with the
 * partial unique index on A), the whole Nest app, sessions, HTTP through Supertest. Milestones
 * belong to another area and are made through the ORM here, so this file tests RACI alone;
 * everything else goes through the api.
 */

let t: TestApp;
let admin: Agent;
let pm: Agent;
let editor: Agent;
let viewer: Agent;
let outsider: Agent;
let quinn: Person;
let rui: Person;
let viewerPerson: Person;
let program: ProgramBody;
let other: ProgramBody;
let pilot: string;
let training: string;
let otherMilestone: string;
let teams: { id: string; name: string }[];

const NOWHERE = '00000000-0000-4000-8000-000000000000';

async function buildMilestone(programId: string, title: string, position: number, dueDate: string | null = null): Promise<string> {
  const em = t.orm.em.fork();
  const milestone = em.create(Milestone, { program: programId, title, position, dueDate });
  await em.flush();
  return milestone.id;
}

async function addMember(programKey: string, person: Person, role: 'owner' | 'editor' | 'viewer') {
  const res = await pm.post(`/api/v1/programs/${programKey}/members`).send({ userId: person.id, role });
  expect(res.status).toBe(201);
}

const cell = (rowId: string, type: 'user' | 'team', id: string, letter: string | null) => ({ rowId, subject: { type, id }, letter });

beforeAll(async () => {
  t = await startTestApp();
  [admin, pm] = await Promise.all([t.signIn('admin@demo.tandem'), t.signIn('pm@demo.tandem')]);
  [quinn, rui, viewerPerson] = await Promise.all([
    buildPerson(admin, { name: 'Quinn Harper' }),
    buildPerson(admin, { name: `Rui ${unique()}` }),
    buildPerson(admin, { name: `Vic ${unique()}` }),
  ]);
  const outsiderPerson = await buildPerson(admin);
  program = await buildProgram(pm);
  other = await buildProgram(pm);
  await addMember(program.key, quinn, 'editor');
  await addMember(program.key, viewerPerson, 'viewer');
  [editor, viewer, outsider] = await Promise.all([signInAs(t, quinn), signInAs(t, viewerPerson), signInAs(t, outsiderPerson)]);
  // Inserted out of order: the matrix must follow position, then due date.
  training = await buildMilestone(program.id, 'Training', 1, '2026-03-01');
  pilot = await buildMilestone(program.id, 'Pilot', 0, '2026-04-01');
  otherMilestone = await buildMilestone(other.id, 'Elsewhere', 0);
  teams = (await admin.get('/api/v1/teams')).body.items;
});

afterAll(async () => {
  await t?.close();
});

describe('GET /programs/:program/raci', () => {
  it('lists every milestone as a row, in milestone order, each breaking the rule until filled in', async () => {
    const res = await viewer.get(`/api/v1/programs/${program.key}/raci`);
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      { id: pilot, kind: 'milestone', milestoneId: pilot, title: 'Pilot', cells: [] },
      { id: training, kind: 'milestone', milestoneId: training, title: 'Training', cells: [] },
    ]);
    expect(res.body.columns).toEqual([]);
    expect(res.body.violations).toEqual(
      expect.arrayContaining([
        { rowId: pilot, rule: 'no_accountable', message: expect.any(String) },
        { rowId: pilot, rule: 'no_responsible', message: expect.any(String) },
      ]),
    );
  });

  it('is a 404 for someone who may not read the program, and 401 without a session', async () => {
    expect((await outsider.get(`/api/v1/programs/${program.key}/raci`)).status).toBe(404);
    expect((await t.http().get(`/api/v1/programs/${program.key}/raci`)).status).toBe(401);
  });
});

describe('PUT /programs/:program/raci/cells', () => {
  it('creates the row of a milestone on its first letter and records the change', async () => {
    const res = await editor.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(pilot, 'user', quinn.id, 'A'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'milestone', milestoneId: pilot, title: 'Pilot', cells: [{ subject: { type: 'user', id: quinn.id, name: 'Quinn Harper' }, letter: 'A' }] });
    expect(res.body.id).not.toBe(pilot);
    expect(res.body.violations).toEqual([{ rowId: res.body.id, rule: 'no_responsible', message: 'needs at least one Responsible (R)' }]);

    const matrix = (await pm.get(`/api/v1/programs/${program.key}/raci`)).body;
    expect(matrix.rows[0]).toMatchObject({ id: res.body.id, milestoneId: pilot });
    const activity = (await pm.get(`/api/v1/programs/${program.key}/activity`)).body.items[0];
    expect(activity).toMatchObject({ entityType: 'raci_row', entityId: res.body.id, action: 'updated', changes: { letter: { before: null, after: 'A' } } });
    expect(activity.summary).toContain('Quinn Harper');
  });

  it('refuses a second A with 409 naming who holds it, by milestone id or row id', async () => {
    const expected = { message: 'Quinn Harper already is Accountable for "Pilot"; a row has exactly one A', holder: { type: 'user', id: quinn.id, name: 'Quinn Harper' } };
    const byMilestone = await pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(pilot, 'user', rui.id, 'A'));
    expect(byMilestone.status).toBe(409);
    expect(byMilestone.body).toMatchObject(expected);
    const rowId = (await pm.get(`/api/v1/programs/${program.key}/raci`)).body.rows[0].id;
    const byRow = await pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(rowId, 'team', teams[0]!.id, 'A'));
    expect(byRow.status).toBe(409);
    expect(byRow.body).toMatchObject(expected);
  });

  it('lets the holder keep or change their own letter, takes teams, and clears with null', async () => {
    const url = `/api/v1/programs/${program.key}/raci/cells`;
    expect((await pm.put(url).send(cell(pilot, 'user', quinn.id, 'A'))).status).toBe(200);
    const withTeam = await pm.put(url).send(cell(pilot, 'team', teams[0]!.id, 'R'));
    expect(withTeam.status).toBe(200);
    expect(withTeam.body.violations).toEqual([]);
    expect(withTeam.body.cells.map((c: { subject: { type: string } }) => c.subject.type)).toEqual(['user', 'team']);

    const matrix = (await pm.get(`/api/v1/programs/${program.key}/raci`)).body;
    expect(matrix.columns).toEqual([
      { type: 'user', id: quinn.id, name: 'Quinn Harper' },
      { type: 'team', id: teams[0]!.id, name: teams[0]!.name },
    ]);
    expect(matrix.violations.filter((v: { rowId: string }) => v.rowId === withTeam.body.id)).toEqual([]);

    const demoted = await pm.put(url).send(cell(pilot, 'user', quinn.id, 'C'));
    expect(demoted.body.violations.map((v: { rule: string }) => v.rule)).toEqual(['no_accountable']);
    const cleared = await pm.put(url).send(cell(pilot, 'user', quinn.id, null));
    expect(cleared.status).toBe(200);
    expect(cleared.body.cells).toEqual([{ subject: { type: 'team', id: teams[0]!.id, name: teams[0]!.name }, letter: 'R' }]);
    const activity = (await pm.get(`/api/v1/programs/${program.key}/activity?limit=1`)).body.items[0];
    expect(activity.changes).toEqual({ letter: { before: 'C', after: null } });
  });

  it('answers 400 naming subject.id for an unknown or deactivated person or an unknown team', async () => {
    const url = `/api/v1/programs/${program.key}/raci/cells`;
    const gone = await buildPerson(admin);
    expect((await admin.patch(`/api/v1/users/${gone.id}`).send({ active: false })).status).toBe(200);
    for (const body of [cell(training, 'user', NOWHERE, 'R'), cell(training, 'user', gone.id, 'R'), cell(training, 'team', NOWHERE, 'R')]) {
      const res = await pm.put(url).send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('subject.id');
    }
    const badLetter = await pm.put(url).send(cell(training, 'user', quinn.id, 'X'));
    expect(badLetter.status).toBe(400);
    expect(badLetter.body.errors[0].field).toBe('letter');
  });

  it('is a 404 for a row or milestone of another program, even for its owner', async () => {
    const url = `/api/v1/programs/${program.key}/raci/cells`;
    const otherRow = (await pm.post(`/api/v1/programs/${other.key}/raci/activities`).send({ activity: 'Elsewhere' })).body.id;
    for (const rowId of [otherMilestone, otherRow, NOWHERE]) {
      expect((await pm.put(url).send(cell(rowId, 'user', quinn.id, 'R'))).status).toBe(404);
    }
  });

  it('is 403 for a viewer and 404 for a non-member', async () => {
    const body = cell(training, 'user', quinn.id, 'R');
    expect((await viewer.put(`/api/v1/programs/${program.key}/raci/cells`).send(body)).status).toBe(403);
    expect((await outsider.put(`/api/v1/programs/${program.key}/raci/cells`).send(body)).status).toBe(404);
  });

  it('lets exactly one of several simultaneous A writers win; the others get the same 409', async () => {
    const row = (await pm.post(`/api/v1/programs/${program.key}/raci/activities`).send({ activity: `Race ${unique()}` })).body.id;
    const subjects = teams.slice(0, 4);
    const results = await Promise.all(subjects.map((team) => pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(row, 'team', team.id, 'A'))));
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    const winner = won[0]!.body.cells[0].subject;
    for (const lost of results.filter((r) => r.status !== 200)) {
      expect(lost.status).toBe(409);
      expect(lost.body.holder).toEqual(winner);
    }
  });

  it('creates a milestone\'s row once when two writers race to fill it in', async () => {
    const fresh = await buildMilestone(program.id, `Race ${unique()}`, 5);
    const [a, b] = await Promise.all([
      pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(fresh, 'team', teams[0]!.id, 'R')),
      pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(fresh, 'team', teams[1]!.id, 'C')),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const row = (await pm.get(`/api/v1/programs/${program.key}/raci`)).body.rows.find((r: { milestoneId: string }) => r.milestoneId === fresh);
    expect(row.cells).toHaveLength(2);
  });
});

describe('activities', () => {
  it('adds a free activity after the milestones (write) and deletes it (write)', async () => {
    const created = await editor.post(`/api/v1/programs/${program.key}/raci/activities`).send({ activity: 'Comms plan' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'activity', milestoneId: null, title: 'Comms plan', cells: [] });
    expect(created.body.violations.map((v: { rule: string }) => v.rule)).toEqual(['no_accountable', 'no_responsible']);
    const rows = (await pm.get(`/api/v1/programs/${program.key}/raci`)).body.rows as { id: string; kind: string }[];
    expect(rows.findIndex((r) => r.id === created.body.id)).toBeGreaterThan(rows.findLastIndex((r) => r.kind === 'milestone'));

    expect((await viewer.delete(`/api/v1/raci/rows/${created.body.id}`)).status).toBe(403);
    expect((await outsider.delete(`/api/v1/raci/rows/${created.body.id}`)).status).toBe(404);
    expect((await editor.delete(`/api/v1/raci/rows/${created.body.id}`)).status).toBe(204);
    expect((await editor.delete(`/api/v1/raci/rows/${created.body.id}`)).status).toBe(404);
    const activity = (await pm.get(`/api/v1/programs/${program.key}/activity?limit=1`)).body.items[0];
    expect(activity).toMatchObject({ entityType: 'raci_row', entityId: created.body.id, action: 'deleted' });
  });

  it('refuses to delete a milestone row (409) and answers 400 / 403 / 404 on create', async () => {
    const pilotRow = (await pm.get(`/api/v1/programs/${program.key}/raci`)).body.rows[0];
    expect(pilotRow.milestoneId).toBe(pilot);
    expect((await pm.delete(`/api/v1/raci/rows/${pilotRow.id}`)).status).toBe(409);
    expect((await pm.delete(`/api/v1/raci/rows/${pilot}`)).status).toBe(404);
    expect((await pm.delete('/api/v1/raci/rows/not-a-uuid')).status).toBe(404);

    const empty = await pm.post(`/api/v1/programs/${program.key}/raci/activities`).send({ activity: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('activity');
    expect((await viewer.post(`/api/v1/programs/${program.key}/raci/activities`).send({ activity: 'x' })).status).toBe(403);
    expect((await outsider.post(`/api/v1/programs/${program.key}/raci/activities`).send({ activity: 'x' })).status).toBe(404);
  });

  // Leaves "Budget sign-off" deleted, breaking the rule (no A) with Rui as R: the signals and
  // per-person tests below must not see it.
  it('restores a deleted activity (the Undo) whole: same id, its place, every letter, a deactivated person\'s too', async () => {
    const leaver = await buildPerson(admin, { name: `Lee ${unique()}` });
    const add = async (activity: string) => (await pm.post(`/api/v1/programs/${program.key}/raci/activities`).send({ activity })).body as { id: string };
    const [vendor, budget, comms] = [await add('Vendor review'), await add('Budget sign-off'), await add('Comms')];
    for (const c of [cell(budget.id, 'user', leaver.id, 'C'), cell(budget.id, 'user', rui.id, 'R'), cell(budget.id, 'team', teams[0]!.id, 'I')]) {
      expect((await pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(c)).status).toBe(200);
    }
    const matrix = async () => (await pm.get(`/api/v1/programs/${program.key}/raci`)).body as { rows: { id: string; kind: string }[]; columns: { id: string }[] };
    const activities = async () => (await matrix()).rows.filter((r) => r.kind === 'activity').map((r) => r.id);
    const before = (await matrix()).rows.find((r) => r.id === budget.id);
    expect((await admin.patch(`/api/v1/users/${leaver.id}`).send({ active: false })).status).toBe(200);

    expect((await editor.delete(`/api/v1/raci/rows/${budget.id}`)).status).toBe(204);
    expect((await pm.get(`/api/v1/programs/${program.key}/activity?limit=1`)).body.items[0].summary).toBe('removed the RACI activity "Budget sign-off" with its 3 letters');
    // gone everywhere: the matrix, its columns, the row's cells, the person's view
    expect(await activities()).not.toContain(budget.id);
    expect((await matrix()).columns.map((c) => c.id)).not.toContain(leaver.id);
    expect((await pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(budget.id, 'user', rui.id, 'A'))).status).toBe(404);
    expect(JSON.stringify((await admin.get(`/api/v1/raci/people/${rui.id}`)).body)).not.toContain('Budget sign-off');
    // an activity added meanwhile goes after it, not into its place
    const later = await add('Added meanwhile');

    expect((await viewer.post(`/api/v1/raci/rows/${budget.id}/restore`)).status).toBe(403);
    expect((await outsider.post(`/api/v1/raci/rows/${budget.id}/restore`)).status).toBe(404);
    expect((await editor.post(`/api/v1/raci/rows/${NOWHERE}/restore`)).status).toBe(404);
    const restored = await editor.post(`/api/v1/raci/rows/${budget.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual({ ...before, violations: [{ rowId: budget.id, rule: 'no_accountable', message: expect.any(String) }] });
    expect(restored.body.cells).toContainEqual(expect.objectContaining({ subject: expect.objectContaining({ id: leaver.id }), letter: 'C' }));
    expect(await pm.get(`/api/v1/programs/${program.key}/activity?limit=1`).then((r) => r.body.items[0])).toMatchObject({ entityType: 'raci_row', entityId: budget.id, action: 'restored' });
    expect((await activities()).slice(-4)).toEqual([vendor.id, budget.id, comms.id, later.id]);
    expect((await matrix()).rows.find((r) => r.id === budget.id)).toEqual(before);
    // restoring a row in the matrix changes nothing
    const entries = (await pm.get(`/api/v1/programs/${program.key}/activity?limit=200`)).body.items.length;
    expect((await editor.post(`/api/v1/raci/rows/${budget.id}/restore`)).body).toEqual(restored.body);
    expect((await pm.get(`/api/v1/programs/${program.key}/activity?limit=200`)).body.items.length).toBe(entries);

    expect((await editor.delete(`/api/v1/raci/rows/${budget.id}`)).status).toBe(204);
  });
});

describe('agreement with the program signals', () => {
  it('lists the same violations as SignalsService.raciGaps (keyed by milestone for milestone rows)', async () => {
    const matrix = (await pm.get(`/api/v1/programs/${program.key}/raci`)).body as {
      rows: { id: string; milestoneId: string | null }[];
      violations: { rowId: string; rule: string }[];
    };
    const keyOf = new Map(matrix.rows.map((r) => [r.id, r.milestoneId ?? r.id]));
    const fromMatrix = matrix.violations.map((v) => `${keyOf.get(v.rowId)}:${v.rule}`).sort();
    const gaps = (await t.app.get(SignalsService).raciGaps([program.id])).get(program.id) ?? [];
    expect(fromMatrix.length).toBeGreaterThan(0);
    expect(fromMatrix).toEqual(gaps.map((v) => `${v.rowId}:${v.rule}`).sort());
  });
});

describe('GET /raci/people/:userId', () => {
  beforeAll(async () => {
    // Rui is R in both programs; the viewer of `program` does not read `other`.
    await pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(training, 'user', rui.id, 'R'));
    await pm.put(`/api/v1/programs/${other.key}/raci/cells`).send(cell(otherMilestone, 'user', rui.id, 'A'));
    await pm.put(`/api/v1/programs/${other.key}/raci/cells`).send(cell(otherMilestone, 'user', quinn.id, 'I'));
    await pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(training, 'user', quinn.id, 'R'));
  });

  it('groups what the person is R or A for by program, for someone who reads both', async () => {
    const res = await admin.get(`/api/v1/raci/people/${rui.id}`);
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(res.body.items.map((g: { program: { key: string } }) => [g.program.key, g]));
    expect(Object.keys(byKey).sort()).toEqual([program.key, other.key].sort());
    expect(byKey[program.key].rows).toEqual([{ rowId: expect.any(String), kind: 'milestone', milestoneId: training, title: 'Training', letter: 'R' }]);
    expect(byKey[other.key].rows).toMatchObject([{ milestoneId: otherMilestone, title: 'Elsewhere', letter: 'A' }]);
  });

  it('shows only the programs the caller may read', async () => {
    const res = await viewer.get(`/api/v1/raci/people/${rui.id}`);
    expect(res.body.items.map((g: { program: { key: string } }) => g.program.key)).toEqual([program.key]);
  });

  it('answers for `me`, leaving out C and I', async () => {
    const res = await editor.get('/api/v1/raci/people/me');
    expect(res.status).toBe(200);
    // Quinn is I in the other program: not listed.
    expect(res.body.items).toEqual([{ program: { id: program.id, key: program.key, name: program.name }, rows: [expect.objectContaining({ title: 'Training', letter: 'R' })] }]);
  });

  it('is a 404 for someone who does not exist, and 401 without a session', async () => {
    expect((await pm.get(`/api/v1/raci/people/${NOWHERE}`)).status).toBe(404);
    expect((await pm.get('/api/v1/raci/people/nobody')).status).toBe(404);
    expect((await t.http().get('/api/v1/raci/people/me')).status).toBe(401);
  });
});
