import { randomUUID } from 'node:crypto';
import { addDays, todayUtc } from '@tandem/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness';
import { buildProgram, type ProgramBody } from './helpers';
import { activityOf, buildChecklistItem, buildMilestone, setUpPlanning, type MilestoneBody, type Planning } from './milestones-fixtures';

/**
 * Deleting a milestone and putting it back: the delete keeps what it took (its RACI row and
 * letters, its dependencies both ways, its baseline dates, its checklist links), and the restore
 * brings all of it back with the same ids, or says what could not come back. Real: PostgreSQL (a
 * database of this file's own), the whole app, sessions, HTTP through Supertest; one team is made
 * and removed through SQL (the api has no team delete).
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

interface RaciRowBody {
  id: string;
  milestoneId: string | null;
  cells: { subject: { type: string; id: string }; letter: string }[];
}

/** Everything the api shows about a program's plan, for before/after comparison. */
async function plan(program: ProgramBody) {
  const [milestones, deps, raci] = await Promise.all([
    p.pm.get(`/api/v1/programs/${program.key}/milestones?limit=200`),
    p.pm.get(`/api/v1/programs/${program.key}/dependencies`),
    p.pm.get(`/api/v1/programs/${program.key}/raci`),
  ]);
  expect([milestones.status, deps.status, raci.status]).toEqual([200, 200, 200]);
  const withoutUpdatedAt = (m: MilestoneBody) => ({ ...m, updatedAt: undefined });
  const sortEdges = (e: { predecessorId: string; successorId: string }[]) => [...e].sort((a, b) => `${a.predecessorId}${a.successorId}`.localeCompare(`${b.predecessorId}${b.successorId}`));
  return {
    milestones: (milestones.body.items as MilestoneBody[]).map(withoutUpdatedAt),
    dependencies: sortEdges(deps.body.items),
    raci: (raci.body.rows as RaciRowBody[]).map((r) => ({ id: r.id, milestoneId: r.milestoneId, cells: r.cells.map((c) => `${c.subject.type}:${c.subject.id}:${c.letter}`).sort() })),
  };
}

const cell = (rowId: string, type: 'user' | 'team', id: string, letter: string) => ({ rowId, subject: { type, id }, letter });

async function deletedIds(program: ProgramBody): Promise<string[]> {
  const res = await p.pm.get(`/api/v1/programs/${program.key}/deleted-milestones`);
  expect(res.status).toBe(200);
  return (res.body.items as { id: string }[]).map((d) => d.id);
}

describe('deleting a milestone and restoring it', () => {
  it('puts back the milestone with its id, RACI letters, dependencies both ways, baseline and slip, and checklist links', async () => {
    const program = await buildProgram(p.pm);
    expect((await p.pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: p.editorPerson.id, role: 'editor' })).status).toBe(201);
    const today = todayUtc();
    const before = await buildMilestone(p.pm, program.key, { title: 'Design', startDate: addDays(today, 1), dueDate: addDays(today, 10) });
    const target = await buildMilestone(p.pm, program.key, { title: 'Pilot', startDate: addDays(today, 11), dueDate: addDays(today, 20), ownerId: p.editorPerson.id, workstream: 'QA' });
    const after = await buildMilestone(p.pm, program.key, { title: 'Go-live', startDate: addDays(today, 21), dueDate: addDays(today, 30) });
    for (const [predecessorId, successorId] of [[before.id, target.id], [target.id, after.id]]) {
      expect((await p.pm.post(`/api/v1/programs/${program.key}/dependencies`).send({ predecessorId, successorId })).status).toBe(201);
    }
    const me = (await p.pm.get('/api/v1/auth/me')).body.id as string;
    expect((await p.pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(target.id, 'user', me, 'A'))).status).toBe(200);
    expect((await p.pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(target.id, 'user', p.editorPerson.id, 'R'))).status).toBe(200);
    const item = await buildChecklistItem(t, program.id, 'Scorecard signed off');
    expect((await p.pm.put(`/api/v1/milestones/${target.id}/checklist-items`).send({ itemIds: [item.id] })).status).toBe(200);
    expect((await p.pm.post(`/api/v1/programs/${program.key}/baselines`).send({ label: 'Plan of record' })).status).toBe(201);
    expect((await p.pm.patch(`/api/v1/milestones/${target.id}`).send({ dueDate: addDays(today, 23) })).status).toBe(200);
    const whole = await plan(program);
    const shown = whole.milestones.find((m) => m.id === target.id)!;
    expect(shown).toMatchObject({ slipDays: 3, checklistItemIds: [item.id], owner: { id: p.editorPerson.id } });

    expect((await p.editor.delete(`/api/v1/milestones/${target.id}`)).status).toBe(204);
    const gone = await plan(program);
    expect(gone.milestones.map((m) => m.id)).toEqual([before.id, after.id]);
    expect(gone.dependencies).toEqual([]);
    expect(gone.raci.some((r) => r.milestoneId === target.id)).toBe(false);
    const listed = await p.pm.get(`/api/v1/programs/${program.key}/deleted-milestones`);
    expect(listed.body.items).toEqual([{ id: target.id, title: 'Pilot', deletedAt: expect.any(String), deletedBy: { id: p.editorPerson.id, name: p.editorPerson.name } }]);

    const restored = await p.editor.post(`/api/v1/milestones/${target.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.leftOut).toEqual([]);
    expect({ ...restored.body.milestone, updatedAt: undefined }).toEqual(shown);
    expect(await plan(program)).toEqual(whole);
    expect(await deletedIds(program)).toEqual([]);
    const [entry] = await activityOf(p.pm, program.key, target.id);
    expect(entry).toMatchObject({ action: 'restored', summary: 'restored milestone "Pilot"', changes: { title: { before: null, after: 'Pilot' } } });

    // Once back, it is no longer a deleted milestone.
    const again = await p.editor.post(`/api/v1/milestones/${target.id}/restore`);
    expect(again.status).toBe(404);
    expect(again.body.message).toBe('Deleted milestone not found');
    // …and can be deleted and restored again.
    expect((await p.pm.delete(`/api/v1/milestones/${target.id}`)).status).toBe(204);
    expect((await p.pm.post(`/api/v1/milestones/${target.id}/restore`)).status).toBe(200);
    expect(await plan(program)).toEqual(whole);
  });

  it('names what could not come back: a dependency on a milestone deleted since, one that would close a loop, a link to an item deleted since, a letter of a team removed since', async () => {
    const program = await buildProgram(p.pm);
    const [a, b, c, d] = [await buildMilestone(p.pm, program.key, { title: 'A' }), await buildMilestone(p.pm, program.key, { title: 'B' }), await buildMilestone(p.pm, program.key, { title: 'C' }), await buildMilestone(p.pm, program.key, { title: 'D' })];
    for (const [predecessorId, successorId] of [[a.id, b.id], [b.id, d.id], [c.id, b.id]]) {
      expect((await p.pm.post(`/api/v1/programs/${program.key}/dependencies`).send({ predecessorId, successorId })).status).toBe(201);
    }
    const em = t.orm.em.fork();
    const teamId = randomUUID();
    await em.getConnection().execute(`insert into team (id, name, created_at) values (?, ?, now())`, [teamId, `Restore team ${teamId.slice(0, 6)}`]);
    const me = (await p.pm.get('/api/v1/auth/me')).body.id as string;
    expect((await p.pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(b.id, 'user', me, 'A'))).status).toBe(200);
    expect((await p.pm.put(`/api/v1/programs/${program.key}/raci/cells`).send(cell(b.id, 'team', teamId, 'C'))).status).toBe(200);
    const [kept, lost] = [await buildChecklistItem(t, program.id, 'Kept item'), await buildChecklistItem(t, program.id, 'Lost item')];
    expect((await p.pm.put(`/api/v1/milestones/${b.id}/checklist-items`).send({ itemIds: [kept.id, lost.id] })).status).toBe(200);

    expect((await p.pm.delete(`/api/v1/milestones/${b.id}`)).status).toBe(204);
    // Meanwhile: C is deleted, D now comes before A (so B → D would close D → A → B → D), the item and the team go.
    expect((await p.pm.delete(`/api/v1/milestones/${c.id}`)).status).toBe(204);
    expect((await p.pm.post(`/api/v1/programs/${program.key}/dependencies`).send({ predecessorId: d.id, successorId: a.id })).status).toBe(201);
    expect((await p.pm.delete(`/api/v1/checklist-items/${lost.id}`)).status).toBe(204);
    await em.getConnection().execute(`delete from team where id = ?`, [teamId]);

    const restored = await p.pm.post(`/api/v1/milestones/${b.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.leftOut).toEqual([
      '1 RACI letter of a person or team removed since',
      '1 link to a checklist item deleted since',
      '"D" waiting for "B": it would now close a loop (B → D → A → B)',
      'a dependency on a milestone deleted since',
    ]);
    expect(restored.body.milestone.checklistItemIds).toEqual([kept.id]);
    const after = await plan(program);
    expect(after.dependencies).toEqual(expect.arrayContaining([{ predecessorId: a.id, successorId: b.id }, { predecessorId: d.id, successorId: a.id }]));
    expect(after.dependencies).toHaveLength(2);
    expect(after.raci.find((r) => r.milestoneId === b.id)?.cells).toEqual([`user:${me}:A`]);
    // C's own delete is still there to undo.
    expect(await deletedIds(program)).toEqual([c.id]);
  });

  it('answers 404 for a milestone that is not deleted or not readable, 403 to viewers, and keeps the deleted one', async () => {
    const m = await buildMilestone(p.pm, p.program.key, { title: 'Deleted for access' });
    expect((await p.pm.post(`/api/v1/milestones/${m.id}/restore`)).status).toBe(404);
    expect((await p.pm.delete(`/api/v1/milestones/${m.id}`)).status).toBe(204);
    expect((await p.viewer.post(`/api/v1/milestones/${m.id}/restore`)).status).toBe(403);
    expect((await p.leader.post(`/api/v1/milestones/${m.id}/restore`)).status).toBe(403);
    const outsider = await p.outsider.post(`/api/v1/milestones/${m.id}/restore`);
    expect(outsider.status).toBe(404);
    expect(outsider.body.message).toBe('Deleted milestone not found');
    expect((await p.outsider.get(`/api/v1/programs/${p.program.key}/deleted-milestones`)).status).toBe(404);
    expect((await p.viewer.get(`/api/v1/programs/${p.program.key}/deleted-milestones`)).status).toBe(200);
    expect((await p.pm.post(`/api/v1/milestones/${randomUUID()}/restore`)).status).toBe(404);
    expect((await p.pm.post('/api/v1/milestones/not-an-id/restore')).status).toBe(404);
    expect(await deletedIds(p.program)).toContain(m.id);
  });

  it('keeps the owner who was deactivated since: the milestone is as it was', async () => {
    const program = await buildProgram(p.pm);
    const m = await buildMilestone(p.pm, program.key, { title: 'Owned by a leaver', ownerId: p.editorPerson.id });
    expect((await p.pm.delete(`/api/v1/milestones/${m.id}`)).status).toBe(204);
    await t.orm.em.fork().getConnection().execute(`update "user" set active = false where id = ?`, [p.editorPerson.id]);
    try {
      const restored = await p.pm.post(`/api/v1/milestones/${m.id}/restore`);
      expect(restored.status).toBe(200);
      expect(restored.body.milestone.owner).toEqual({ id: p.editorPerson.id, name: p.editorPerson.name });
    } finally {
      await t.orm.em.fork().getConnection().execute(`update "user" set active = true where id = ?`, [p.editorPerson.id]);
    }
  });
});
