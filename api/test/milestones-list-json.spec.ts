import { addDays, todayUtc } from '@tandem/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Milestone } from '../src/milestones/milestone.entity';
import { ChecklistItem, Wave } from '../src/rollouts/rollout.entity';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, type Agent } from './helpers';
import { buildMilestone, setUpPlanning, type MilestoneBody, type Planning } from './milestones-fixtures';

/**
 * The exact JSON of the milestone list and of one milestone: every field, in order, with its
 * format and its nulls, and the cursor's pages. Read straight from the database through the ORM
 * where a value is made by the server (ids, timestamps), so a field that goes missing, moves or
 * changes format fails here. Real: PostgreSQL (a database of this file's own), the whole app.
 */

let t: TestApp;
let p: Planning;

beforeAll(async () => {
  t = await startTestApp();
  p = await setUpPlanning(t);
});

afterAll(async () => {
  await t?.close();
});

const FIELDS = [
  'id',
  'programId',
  'title',
  'description',
  'owner',
  'startDate',
  'dueDate',
  'status',
  'position',
  'workstream',
  'completedAt',
  'baseline',
  'slipDays',
  'overdue',
  'checklistItemIds',
  'openChecklistItems',
  'createdAt',
  'updatedAt',
];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The server-made timestamps of a milestone, as the ORM reads them from the database. */
async function stored(id: string): Promise<{ completedAt: string | null; createdAt: string; updatedAt: string }> {
  const m = await t.orm.em.fork().findOneOrFail(Milestone, { id });
  return { completedAt: m.completedAt?.toISOString() ?? null, createdAt: m.createdAt.toISOString(), updatedAt: m.updatedAt.toISOString() };
}

async function everything(agent: Agent, key: string): Promise<MilestoneBody[]> {
  const res = await agent.get(`/api/v1/programs/${key}/milestones?limit=200`);
  expect(res.status).toBe(200);
  expect(Object.keys(res.body)).toEqual(['items', 'nextCursor']);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items as MilestoneBody[];
}

describe('the milestone list, field by field', () => {
  it('sends owner, dates, baseline and slip, overdue, linked items in item order and timestamps as ISO', async () => {
    const program = await buildProgram(p.pm);
    const key = program.key;
    const owner = await buildPerson(p.admin, { name: 'Odile Owner' });
    const late = addDays(todayUtc(), -3);

    // position 0: dated before undated; position 1: dated, then slipped after the baseline
    const kickoff = await buildMilestone(p.pm, key, { title: 'Kickoff', description: 'All hands', ownerId: owner.id, startDate: '2026-01-05', dueDate: '2026-01-30', status: 'done', position: 0, workstream: 'Training' });
    const undated = await buildMilestone(p.pm, key, { title: 'Undated', position: 0 });
    const pilot = await buildMilestone(p.pm, key, { title: 'Pilot', startDate: '2026-02-01', dueDate: late, status: 'in_progress', position: 1 });

    // two baselines: the older one must not count
    expect((await p.pm.post(`/api/v1/programs/${key}/baselines`).send({ label: 'First' })).status).toBe(201);
    expect((await p.pm.patch(`/api/v1/milestones/${pilot.id}`).send({ dueDate: addDays(late, -5) })).status).toBe(200);
    expect((await p.pm.post(`/api/v1/programs/${key}/baselines`).send({ label: 'Plan of record' })).status).toBe(201);
    const slipped = await p.pm.patch(`/api/v1/milestones/${pilot.id}`).send({ dueDate: late });
    expect(slipped.status).toBe(200);
    // added after the latest baseline: no baseline, no slip
    const added = await buildMilestone(p.pm, key, { title: 'Added later', dueDate: '2027-03-01', status: 'blocked', position: 1 });

    // linked items of two waves; listed by item position (then id), not by when they were linked
    const em = t.orm.em.fork();
    const wave = em.create(Wave, { program: program.id, name: 'Wave one' });
    const other = em.create(Wave, { program: program.id, name: 'Wave two' });
    const second = em.create(ChecklistItem, { program: program.id, wave, title: 'Second', state: 'done', position: 2 });
    const first = em.create(ChecklistItem, { program: program.id, wave: other, title: 'First', state: 'todo', position: 1 });
    const third = em.create(ChecklistItem, { program: program.id, wave, title: 'Third', state: 'not_applicable', position: 3 });
    const fourth = em.create(ChecklistItem, { program: program.id, wave, title: 'Fourth', state: 'blocked', position: 4 });
    await em.flush();
    const linked = await p.pm.put(`/api/v1/milestones/${pilot.id}/checklist-items`).send({ itemIds: [fourth.id, third.id, second.id, first.id] });
    expect(linked.status).toBe(200);

    const items = await everything(p.pm, key);
    for (const item of items) expect(Object.keys(item)).toEqual(FIELDS);
    expect(items.map((m) => m.title)).toEqual(['Kickoff', 'Undated', 'Pilot', 'Added later']);
    const [a, b, c, d] = items;

    expect(a).toEqual({
      id: kickoff.id,
      programId: program.id,
      title: 'Kickoff',
      description: 'All hands',
      owner: { id: owner.id, name: 'Odile Owner' },
      startDate: '2026-01-05',
      dueDate: '2026-01-30',
      status: 'done',
      position: 0,
      workstream: 'Training',
      ...(await stored(kickoff.id)),
      baseline: { startDate: '2026-01-05', dueDate: '2026-01-30' },
      slipDays: 0,
      overdue: false,
      checklistItemIds: [],
      openChecklistItems: 0,
    });
    expect(a!.completedAt).toMatch(ISO);
    expect(b).toEqual({
      id: undated.id,
      programId: program.id,
      title: 'Undated',
      description: '',
      owner: null,
      startDate: null,
      dueDate: null,
      status: 'not_started',
      position: 0,
      workstream: null,
      ...(await stored(undated.id)),
      completedAt: null,
      // in the baseline, with no dates there
      baseline: { startDate: null, dueDate: null },
      slipDays: null,
      overdue: false,
      checklistItemIds: [],
      openChecklistItems: 0,
    });
    expect(c).toEqual({
      id: pilot.id,
      programId: program.id,
      title: 'Pilot',
      description: '',
      owner: null,
      startDate: '2026-02-01',
      dueDate: late,
      status: 'in_progress',
      position: 1,
      workstream: null,
      ...(await stored(pilot.id)),
      completedAt: null,
      baseline: { startDate: '2026-02-01', dueDate: addDays(late, -5) },
      slipDays: 5,
      overdue: true,
      checklistItemIds: [first.id, second.id, third.id, fourth.id],
      // todo and blocked; done and not applicable are closed
      openChecklistItems: 2,
    });
    expect(d).toEqual({
      id: added.id,
      programId: program.id,
      title: 'Added later',
      description: '',
      owner: null,
      startDate: null,
      dueDate: '2027-03-01',
      status: 'blocked',
      position: 1,
      workstream: null,
      ...(await stored(added.id)),
      completedAt: null,
      baseline: null,
      slipDays: null,
      overdue: false,
      checklistItemIds: [],
      openChecklistItems: 0,
    });
    for (const m of items) {
      expect(m.createdAt).toMatch(ISO);
      expect(m.updatedAt).toMatch(ISO);
    }

    // one milestone, and the answers to writes, are the list's items exactly
    for (const m of items) {
      const one = await p.leader.get(`/api/v1/milestones/${m.id}`);
      expect(one.status).toBe(200);
      expect(Object.keys(one.body)).toEqual(FIELDS);
      expect(one.body).toEqual(m);
    }
    expect(slipped.body).toEqual({ ...c, checklistItemIds: [], openChecklistItems: 0 });
    expect(linked.body).toEqual(c);
    const after = await p.pm.patch(`/api/v1/milestones/${kickoff.id}`).send({ title: 'Kickoff meeting' });
    expect(after.body).toEqual({ ...a, title: 'Kickoff meeting', updatedAt: (await stored(kickoff.id)).updatedAt });
    const made = await buildMilestone(p.pm, key, { title: 'Made', ownerId: owner.id, dueDate: '2027-05-01' });
    expect(made).toEqual((await p.pm.get(`/api/v1/milestones/${made.id}`)).body);
    expect(Object.keys(made)).toEqual(FIELDS);

    // the same list by key in any case and by id
    expect(await everything(p.pm, key.toLowerCase())).toEqual(await everything(p.pm, program.id));
  });

  it('pages with a cursor of [position, due date or "" when undated, id], dated before undated', async () => {
    const program = await buildProgram(p.pm);
    const key = program.key;
    const made: MilestoneBody[] = [];
    for (const [position, dueDate] of [[2, '2026-05-01'], [1, null], [1, '2026-04-02'], [1, '2026-04-01'], [1, null], [0, '2026-09-01'], [2, null], [1, '2026-04-01']] as const) {
      made.push(await buildMilestone(p.pm, key, { position, ...(dueDate ? { dueDate } : {}) }));
    }
    const byId = (x: MilestoneBody, y: MilestoneBody) => (x.id < y.id ? -1 : 1);
    const rank = (m: MilestoneBody) => [m.position, m.dueDate ?? '9999-99-99'].join(' ');
    const expected = [...made].sort((x, y) => (rank(x) === rank(y) ? byId(x, y) : rank(x) < rank(y) ? -1 : 1)).map((m) => m.id);
    const all = await everything(p.pm, key);
    expect(all.map((m) => m.id)).toEqual(expected);

    for (const limit of [1, 2, 3]) {
      const pages: MilestoneBody[][] = [];
      const cursors: unknown[] = [];
      let cursor: string | null = null;
      do {
        const res = await p.leader.get(`/api/v1/programs/${key}/milestones?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        pages.push(res.body.items);
        cursor = res.body.nextCursor;
        if (cursor) cursors.push(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
      } while (cursor);
      expect(pages.flat()).toEqual(all);
      expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
      // each cursor names the last item of its page
      expect(cursors).toEqual(pages.slice(0, cursors.length).map((page) => page[page.length - 1]).map((m) => [m!.position, m!.dueDate ?? '', m!.id]));
    }
    // the last page ends with nextCursor null, even when it is full
    const exact = await p.pm.get(`/api/v1/programs/${key}/milestones?limit=${made.length}`);
    expect(exact.body.nextCursor).toBeNull();
    expect(exact.body.items).toHaveLength(made.length);
    const empty = await buildProgram(p.pm);
    expect((await p.pm.get(`/api/v1/programs/${empty.key}/milestones`)).body).toEqual({ items: [], nextCursor: null });
  });

  it('tells someone who may not read the program that it is not there, before judging the cursor', async () => {
    const program = await buildProgram(p.pm);
    const m = await buildMilestone(p.pm, program.key, { dueDate: '2026-06-01' });
    const forged = Buffer.from(JSON.stringify([1, '2026-13-45', m.id])).toString('base64url');
    const cursor = Buffer.from(JSON.stringify([0, '2026-06-01', m.id])).toString('base64url');
    for (const path of [`/api/v1/programs/${program.key}/milestones`, `/api/v1/programs/${program.id}/milestones?cursor=${forged}`, `/api/v1/programs/${program.key}/milestones?cursor=not-a-cursor`, `/api/v1/programs/${program.key}/milestones?cursor=${cursor}`]) {
      const res = await p.outsider.get(path);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, message: 'Program not found' });
    }
    for (const path of ['/api/v1/programs/NOPE42/milestones', '/api/v1/programs/not a key/milestones', `/api/v1/programs/${m.id}/milestones`]) {
      expect((await p.pm.get(path)).body).toMatchObject({ statusCode: 404, message: 'Program not found' });
    }
    const outsider = await p.outsider.get(`/api/v1/milestones/${m.id}`);
    expect(outsider.status).toBe(404);
    expect(outsider.body).toMatchObject({ statusCode: 404, message: 'Milestone not found' });
    expect((await p.pm.get(`/api/v1/programs/${program.key}/milestones?cursor=${forged}`)).status).toBe(400);
    expect((await p.pm.get(`/api/v1/programs/${program.key}/milestones?cursor=${cursor}`)).body).toEqual({ items: [], nextCursor: null });
  });
});
