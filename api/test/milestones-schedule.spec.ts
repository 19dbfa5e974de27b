import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness';
import { buildProgram } from './helpers';
import { activityOf, buildMilestone, NOWHERE, setUpPlanning, type Planning } from './milestones-fixtures';

/**
 * Dependencies between milestones, baselines and slip through the http api. Real: PostgreSQL
 * (a database of this file's own), the whole Nest app with migrations and the demo seed, sessions,
 * HTTP through Supertest. Nothing is mocked.
 */

let t: TestApp;
let p: Planning;
const url = (path = '') => `/api/v1/programs/${p.program.key}${path}`;

beforeAll(async () => {
  t = await startTestApp();
  p = await setUpPlanning(t);
});

afterAll(async () => {
  await t?.close();
});

describe('dependencies', () => {
  it('adds, lists with violations, refuses duplicates, and removes', async () => {
    const pred = await buildMilestone(p.pm, p.program.key, { title: 'Tooling', dueDate: '2026-06-10' });
    const succ = await buildMilestone(p.pm, p.program.key, { title: 'Training', startDate: '2026-06-05', dueDate: '2026-06-20' });
    const added = await p.editor.post(url('/dependencies')).send({ predecessorId: pred.id, successorId: succ.id });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ predecessorId: pred.id, successorId: succ.id });
    const list = await p.viewer.get(url('/dependencies'));
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual({ predecessorId: pred.id, successorId: succ.id });
    expect(list.body.violations).toContainEqual({ predecessorId: pred.id, successorId: succ.id, overlapDays: 5 });
    const again = await p.pm.post(url('/dependencies')).send({ predecessorId: pred.id, successorId: succ.id });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('"Training" already depends on "Tooling"');
    const [recorded] = await activityOf(p.pm, p.program.key, succ.id);
    expect(recorded).toMatchObject({ entityType: 'dependency', action: 'created' });
    expect((await p.viewer.delete(url(`/dependencies/${pred.id}/${succ.id}`))).status).toBe(403);
    expect((await p.editor.delete(url(`/dependencies/${pred.id}/${succ.id}`))).status).toBe(204);
    expect((await p.editor.delete(url(`/dependencies/${pred.id}/${succ.id}`))).status).toBe(404);
    expect((await p.pm.get(url('/dependencies'))).body.items).not.toContainEqual({ predecessorId: pred.id, successorId: succ.id });
  });

  it('refuses a cycle with 409 naming it', async () => {
    const [a, b, c] = [
      await buildMilestone(p.pm, p.program.key, { title: 'Alpha' }),
      await buildMilestone(p.pm, p.program.key, { title: 'Bravo' }),
      await buildMilestone(p.pm, p.program.key, { title: 'Charlie' }),
    ];
    expect((await p.pm.post(url('/dependencies')).send({ predecessorId: a.id, successorId: b.id })).status).toBe(201);
    expect((await p.pm.post(url('/dependencies')).send({ predecessorId: b.id, successorId: c.id })).status).toBe(201);
    const res = await p.pm.post(url('/dependencies')).send({ predecessorId: c.id, successorId: a.id });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('That dependency would create a cycle: Charlie → Alpha → Bravo → Charlie');
    expect(res.body.cycle).toEqual([
      { id: c.id, title: 'Charlie' },
      { id: a.id, title: 'Alpha' },
      { id: b.id, title: 'Bravo' },
      { id: c.id, title: 'Charlie' },
    ]);
    const self = await p.pm.post(url('/dependencies')).send({ predecessorId: a.id, successorId: a.id });
    expect(self.status).toBe(409);
    expect(self.body.message).toBe('That dependency would create a cycle: Alpha → Alpha');
  });

  it('refuses the second of two opposite dependencies sent at the same moment', async () => {
    // Two editors linking the same pair in opposite directions: each request's cycle check must
    // see the other's edge, or both commit and the plan holds A → B → A.
    for (let i = 0; i < 5; i++) {
      const a = await buildMilestone(p.pm, p.program.key);
      const b = await buildMilestone(p.pm, p.program.key);
      const answers = await Promise.all([
        p.pm.post(url('/dependencies')).send({ predecessorId: a.id, successorId: b.id }),
        p.editor.post(url('/dependencies')).send({ predecessorId: b.id, successorId: a.id }),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      const edges = (await p.pm.get(url('/dependencies'))).body.items as { predecessorId: string; successorId: string }[];
      expect(edges.filter((e) => [a.id, b.id].includes(e.predecessorId) && [a.id, b.id].includes(e.successorId))).toHaveLength(1);
    }
  });

  it('answers 404 for milestones of another program (in the body or the path), 400 for bad ids, 403 for viewers', async () => {
    const mine = await buildMilestone(p.pm, p.program.key);
    const theirs = await buildMilestone(p.pm, p.other.key);
    const res = await p.pm.post(url('/dependencies')).send({ predecessorId: theirs.id, successorId: mine.id });
    expect(res.status).toBe(404);
    expect(res.body.message).toBe(`Milestone ${theirs.id} not found`);
    expect((await p.pm.post(url('/dependencies')).send({ predecessorId: mine.id, successorId: NOWHERE })).status).toBe(404);
    expect((await p.pm.post(url('/dependencies')).send({ predecessorId: mine.id })).status).toBe(400);
    expect((await p.viewer.post(url('/dependencies')).send({ predecessorId: mine.id, successorId: mine.id })).status).toBe(403);
    expect((await p.outsider.get(url('/dependencies'))).status).toBe(404);
    // a dependency of the other program is not reachable through this one
    expect((await p.pm.post(`/api/v1/programs/${p.other.key}/dependencies`).send({ predecessorId: theirs.id, successorId: (await buildMilestone(p.pm, p.other.key)).id })).status).toBe(201);
    expect((await p.pm.delete(url(`/dependencies/${theirs.id}/${mine.id}`))).status).toBe(404);
    expect((await p.pm.delete(url('/dependencies/nope/nope'))).status).toBe(404);
  });
});

describe('baselines and slip', () => {
  it('lets only owners and admins set a baseline', async () => {
    expect((await p.editor.post(url('/baselines')).send({})).status).toBe(403);
    expect((await p.leader.post(url('/baselines')).send({})).status).toBe(403);
    expect((await p.outsider.post(url('/baselines')).send({})).status).toBe(404);
    expect((await p.pm.post(url('/baselines')).send({ label: '' })).status).toBe(400);
  });

  it('copies every milestone\'s dates, reports slip against the latest baseline, and keeps the history', async () => {
    const fresh = await buildProgram(p.pm);
    const m = await buildMilestone(p.pm, fresh.key, { title: 'Pilot', startDate: '2026-07-01', dueDate: '2026-07-15' });
    await buildMilestone(p.pm, fresh.key, { title: 'Undated' });
    const first = await p.pm.post(`/api/v1/programs/${fresh.key}/baselines`).send({ label: 'Plan of record' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ label: 'Plan of record', milestoneCount: 2, createdBy: { name: 'Priya Manager' } });
    await p.pm.patch(`/api/v1/milestones/${m.id}`).send({ dueDate: '2026-07-25' });
    const slipped = await p.pm.get(`/api/v1/milestones/${m.id}`);
    expect(slipped.body).toMatchObject({ baseline: { startDate: '2026-07-01', dueDate: '2026-07-15' }, slipDays: 10 });
    const added = await buildMilestone(p.pm, fresh.key, { title: 'Added later', dueDate: '2026-08-01' });
    expect(added).toMatchObject({ baseline: null, slipDays: null });
    const second = await p.admin.post(`/api/v1/programs/${fresh.key}/baselines`).send({});
    expect(second.body).toMatchObject({ label: null, milestoneCount: 3 });
    expect((await p.pm.get(`/api/v1/milestones/${m.id}`)).body).toMatchObject({ baseline: { dueDate: '2026-07-25' }, slipDays: 0 });
    const history = await p.leader.get(`/api/v1/programs/${fresh.key}/baselines`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((b: { id: string; milestoneCount: number }) => [b.id, b.milestoneCount])).toEqual([
      [second.body.id, 3],
      [first.body.id, 2],
    ]);
    const page = await p.pm.get(`/api/v1/programs/${fresh.key}/baselines?limit=1`);
    const next = await p.pm.get(`/api/v1/programs/${fresh.key}/baselines?limit=1&cursor=${page.body.nextCursor}`);
    expect([page.body.items[0].id, next.body.items[0].id, next.body.nextCursor]).toEqual([second.body.id, first.body.id, null]);
    const [recorded] = await activityOf(p.pm, fresh.key, second.body.id);
    expect(recorded).toMatchObject({ entityType: 'baseline', action: 'created' });
    expect((await p.outsider.get(`/api/v1/programs/${fresh.key}/baselines`)).status).toBe(404);
  });
});
