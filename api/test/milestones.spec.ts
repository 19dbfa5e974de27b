import { addDays, todayUtc } from '@tandem/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness';
import { buildPerson } from './helpers';
import {
  activityOf,
  buildChecklistItem,
  buildMilestone,
  NOWHERE,
  setChecklistState,
  setUpPlanning,
  type MilestoneBody,
  type Planning,
} from './milestones-fixtures';

/**
 * Milestones, dependencies, baselines and checklist links through the http api. Real: PostgreSQL
 * (a database of this file's own), the whole Nest app with migrations and the demo seed, sessions,
 * HTTP through Supertest. Waves and checklist items are inserted through the ORM (another area's
 * api); everything else goes through the api. Nothing is mocked.
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

describe('creating milestones', () => {
  it('creates one with defaults, last in the plan, and records the activity', async () => {
    const first = await buildMilestone(p.pm, p.program.key, { title: 'Policy signed off' });
    expect(first).toMatchObject({
      programId: p.program.id,
      title: 'Policy signed off',
      description: '',
      owner: null,
      startDate: null,
      dueDate: null,
      status: 'not_started',
      workstream: null,
      completedAt: null,
      baseline: null,
      slipDays: null,
      overdue: false,
      checklistItemIds: [],
      openChecklistItems: 0,
    });
    const second = await buildMilestone(p.editor, p.program.key, { title: 'Tooling ready' });
    expect(second.position).toBe(first.position + 1);
    const [created] = await activityOf(p.pm, p.program.key, first.id);
    expect(created).toMatchObject({ entityType: 'milestone', action: 'created', changes: { title: { before: null, after: 'Policy signed off' } } });
  });

  it('takes an owner who is an active person and shows their id and name', async () => {
    const owner = await buildPerson(p.admin, { name: 'Olive Owner' });
    const m = await buildMilestone(p.pm, p.program.key, { ownerId: owner.id, startDate: '2026-01-05', dueDate: '2026-01-30', workstream: 'Training', status: 'done' });
    expect(m.owner).toEqual({ id: owner.id, name: 'Olive Owner' });
    expect(m).toMatchObject({ startDate: '2026-01-05', dueDate: '2026-01-30', workstream: 'Training', status: 'done' });
    expect(m.completedAt).not.toBeNull();
  });

  it('refuses an owner who is unknown or deactivated, naming ownerId', async () => {
    const gone = await buildPerson(p.admin);
    expect((await p.admin.patch(`/api/v1/users/${gone.id}`).send({ active: false })).status).toBe(200);
    for (const ownerId of [gone.id, NOWHERE]) {
      const res = await p.pm.post(url('/milestones')).send({ title: 'Owned', ownerId });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'ownerId', reason: 'no active person has this id' }]);
    }
  });

  it('takes a change that sends back the current owner, deactivated since; refuses them as a new owner', async () => {
    const leaver = await buildPerson(p.admin);
    const owned = await buildMilestone(p.pm, p.program.key, { title: 'Handover', ownerId: leaver.id });
    const other = await buildMilestone(p.pm, p.program.key, { title: 'Not theirs' });
    expect((await p.admin.patch(`/api/v1/users/${leaver.id}`).send({ active: false })).status).toBe(200);
    // a client that sends back every field it read, the owner among them
    const res = await p.pm.patch(`/api/v1/milestones/${owned.id}`).send({ title: 'Handover done', ownerId: leaver.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Handover done', owner: { id: leaver.id } });
    const refused = await p.pm.patch(`/api/v1/milestones/${other.id}`).send({ ownerId: leaver.id });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ field: 'ownerId', reason: 'no active person has this id' }]);
  });

  it('answers 400 naming the field for bad input', async () => {
    const res = await p.pm.post(url('/milestones')).send({ title: ' ', startDate: '2026-02-10', dueDate: '2026-02-01', colour: 'red' });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['colour', 'dueDate', 'title']);
  });

  it('lets editors and owners create; viewers and leadership get 403; others 404', async () => {
    const body = { title: 'Not allowed' };
    expect((await p.viewer.post(url('/milestones')).send(body)).status).toBe(403);
    expect((await p.leader.post(url('/milestones')).send(body)).status).toBe(403);
    expect((await p.outsider.post(url('/milestones')).send(body)).status).toBe(404);
    expect((await p.pm.post(`/api/v1/programs/${NOWHERE}/milestones`).send(body)).status).toBe(404);
    expect((await p.admin.post(url('/milestones')).send({ title: 'Admin may' })).status).toBe(201);
  });
});

describe('listing and reading milestones', () => {
  it('orders by position, then due date (undated last), and pages with a cursor', async () => {
    const program = p.other.key;
    await buildMilestone(p.pm, program, { title: 'C', position: 5 });
    await buildMilestone(p.pm, program, { title: 'B', position: 5, dueDate: '2026-03-02' });
    await buildMilestone(p.pm, program, { title: 'A', position: 5, dueDate: '2026-03-01' });
    await buildMilestone(p.pm, program, { title: 'First', position: 1, dueDate: '2026-12-01' });
    await buildMilestone(p.pm, program, { title: 'D', position: 5 });
    const all = await p.pm.get(`/api/v1/programs/${program}/milestones?limit=200`);
    expect(all.status).toBe(200);
    const titles = (all.body.items as MilestoneBody[]).map((m) => m.title);
    expect(titles.slice(0, 3)).toEqual(['First', 'A', 'B']);
    expect(new Set(titles.slice(3))).toEqual(new Set(['C', 'D']));
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await p.pm.get(`/api/v1/programs/${program}/milestones?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      paged.push(...(res.body.items as MilestoneBody[]).map((m) => m.title));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(titles);
  });

  it('refuses a forged cursor with 400', async () => {
    for (const forged of [['x', '', NOWHERE], [1, '2026-13-45', NOWHERE], [1, '', 'nope']]) {
      const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
      const res = await p.pm.get(url(`/milestones?cursor=${cursor}`));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('cursor');
    }
  });

  it('marks overdue milestones that are not done', async () => {
    const late = await buildMilestone(p.pm, p.program.key, { dueDate: addDays(todayUtc(), -2) });
    const lateButDone = await buildMilestone(p.pm, p.program.key, { dueDate: addDays(todayUtc(), -2), status: 'done' });
    expect(late.overdue).toBe(true);
    expect(lateButDone.overdue).toBe(false);
  });

  it('shows one milestone to readers (leadership included) and 404 to everyone else', async () => {
    const m = await buildMilestone(p.pm, p.program.key);
    for (const reader of [p.viewer, p.leader, p.editor]) {
      const res = await reader.get(`/api/v1/milestones/${m.id}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(m.id);
    }
    expect((await p.outsider.get(`/api/v1/milestones/${m.id}`)).status).toBe(404);
    expect((await p.pm.get(`/api/v1/milestones/${NOWHERE}`)).status).toBe(404);
    expect((await p.pm.get('/api/v1/milestones/not-a-uuid')).status).toBe(404);
    expect((await p.outsider.get(url('/milestones'))).status).toBe(404);
  });
});

describe('changing milestones', () => {
  it('merges dates with the stored ones and re-checks their order, naming the field', async () => {
    const m = await buildMilestone(p.pm, p.program.key, { startDate: '2026-04-01', dueDate: '2026-04-10' });
    const late = await p.pm.patch(`/api/v1/milestones/${m.id}`).send({ startDate: '2026-04-20' });
    expect(late.status).toBe(400);
    expect(late.body.errors).toEqual([{ field: 'startDate', reason: 'dueDate must not be before startDate' }]);
    const early = await p.pm.patch(`/api/v1/milestones/${m.id}`).send({ dueDate: '2026-03-01' });
    expect(early.body.errors).toEqual([{ field: 'dueDate', reason: 'dueDate must not be before startDate' }]);
    const ok = await p.editor.patch(`/api/v1/milestones/${m.id}`).send({ dueDate: '2026-04-30', title: 'Renamed' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ startDate: '2026-04-01', dueDate: '2026-04-30', title: 'Renamed' });
  });

  it('records every change with before and after', async () => {
    const owner = await buildPerson(p.admin);
    const m = await buildMilestone(p.pm, p.program.key, { title: 'Comms sent', dueDate: '2026-05-01' });
    const res = await p.pm.patch(`/api/v1/milestones/${m.id}`).send({ ownerId: owner.id, dueDate: '2026-05-08', status: 'in_progress' });
    expect(res.status).toBe(200);
    const [updated] = await activityOf(p.pm, p.program.key, m.id);
    expect(updated).toMatchObject({
      action: 'updated',
      changes: {
        owner: { before: null, after: owner.id },
        dueDate: { before: '2026-05-01', after: '2026-05-08' },
        status: { before: 'not_started', after: 'in_progress' },
      },
    });
    expect(Object.keys(updated!.changes).sort()).toEqual(['dueDate', 'owner', 'status']);
  });

  it('records when it was completed, and forgets it when reopened', async () => {
    const m = await buildMilestone(p.pm, p.program.key);
    const done = await p.pm.patch(`/api/v1/milestones/${m.id}`).send({ status: 'done' });
    expect(done.body.completedAt).toEqual(expect.any(String));
    const reopened = await p.pm.patch(`/api/v1/milestones/${m.id}`).send({ status: 'in_progress' });
    expect(reopened.body.completedAt).toBeNull();
  });

  it('answers 403 to viewers and leadership, 404 to others, 400 for unknown fields', async () => {
    const m = await buildMilestone(p.pm, p.program.key);
    expect((await p.viewer.patch(`/api/v1/milestones/${m.id}`).send({ title: 'x' })).status).toBe(403);
    expect((await p.leader.patch(`/api/v1/milestones/${m.id}`).send({ title: 'x' })).status).toBe(403);
    expect((await p.outsider.patch(`/api/v1/milestones/${m.id}`).send({ title: 'x' })).status).toBe(404);
    expect((await p.pm.patch(`/api/v1/milestones/${NOWHERE}`).send({ title: 'x' })).status).toBe(404);
    const unknown = await p.pm.patch(`/api/v1/milestones/${m.id}`).send({ programId: p.other.id });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'programId', reason: 'unknown field' }]);
  });

  it('deletes (write) with an activity row; viewers get 403', async () => {
    const m = await buildMilestone(p.pm, p.program.key, { title: 'Short-lived' });
    expect((await p.viewer.delete(`/api/v1/milestones/${m.id}`)).status).toBe(403);
    expect((await p.outsider.delete(`/api/v1/milestones/${m.id}`)).status).toBe(404);
    expect((await p.editor.delete(`/api/v1/milestones/${m.id}`)).status).toBe(204);
    expect((await p.pm.get(`/api/v1/milestones/${m.id}`)).status).toBe(404);
    const [deleted] = await activityOf(p.pm, p.program.key, m.id);
    expect(deleted).toMatchObject({ action: 'deleted', changes: { title: { before: 'Short-lived', after: null } } });
  });
});

describe('linked checklist items and the done gate', () => {
  it('replaces the linked set and counts the open items', async () => {
    const m = await buildMilestone(p.pm, p.program.key);
    const [a, b, c] = await Promise.all(['Training done', 'Macros updated', 'Comms sent'].map((title) => buildChecklistItem(t, p.program.id, title)));
    await setChecklistState(t, c!.id, 'done');
    const first = await p.editor.put(`/api/v1/milestones/${m.id}/checklist-items`).send({ itemIds: [a!.id, b!.id, c!.id] });
    expect(first.status).toBe(200);
    expect(new Set(first.body.checklistItemIds)).toEqual(new Set([a!.id, b!.id, c!.id]));
    expect(first.body.openChecklistItems).toBe(2);
    const second = await p.editor.put(`/api/v1/milestones/${m.id}/checklist-items`).send({ itemIds: [b!.id] });
    expect(second.body).toMatchObject({ checklistItemIds: [b!.id], openChecklistItems: 1 });
    const [linked] = await activityOf(p.pm, p.program.key, m.id);
    expect(linked!.changes.checklistItemIds!.after).toEqual([b!.id]);
  });

  it('refuses items of another program or unknown ones with 404, bad ids with 400, viewers with 403', async () => {
    const m = await buildMilestone(p.pm, p.program.key);
    const foreign = await buildChecklistItem(t, p.other.id, 'Other program item');
    for (const itemId of [foreign.id, NOWHERE]) {
      const res = await p.pm.put(`/api/v1/milestones/${m.id}/checklist-items`).send({ itemIds: [itemId] });
      expect(res.status).toBe(404);
    }
    expect((await p.pm.put(`/api/v1/milestones/${m.id}/checklist-items`).send({ itemIds: ['nope'] })).status).toBe(400);
    expect((await p.viewer.put(`/api/v1/milestones/${m.id}/checklist-items`).send({ itemIds: [] })).status).toBe(403);
    expect((await p.pm.get(`/api/v1/milestones/${m.id}`)).body.checklistItemIds).toEqual([]);
  });

  it('refuses done while linked items are open, listing the blockers (409)', async () => {
    const m = await buildMilestone(p.pm, p.program.key, { title: 'Pilot go-live' });
    const open = await buildChecklistItem(t, p.program.id, 'QA calibration');
    const blocked = await buildChecklistItem(t, p.program.id, 'WFM schedule adjusted', 'blocked');
    const closed = await buildChecklistItem(t, p.program.id, 'Not needed', 'not_applicable');
    await p.pm.put(`/api/v1/milestones/${m.id}/checklist-items`).send({ itemIds: [open.id, blocked.id, closed.id] });
    for (const [agent, body] of [[p.pm, { status: 'done' }], [p.editor, { status: 'done', overrideReason: 'editors cannot override' }]] as const) {
      const res = await agent.patch(`/api/v1/milestones/${m.id}`).send(body);
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('2 linked checklist items are still open');
      expect(res.body.blockers).toEqual(
        expect.arrayContaining([
          { id: open.id, title: 'QA calibration', state: 'todo', waveId: open.waveId },
          { id: blocked.id, title: 'WFM schedule adjusted', state: 'blocked', waveId: blocked.waveId },
        ]),
      );
      expect(res.body.blockers).toHaveLength(2);
    }
    expect((await p.pm.get(`/api/v1/milestones/${m.id}`)).body.status).toBe('not_started');
    await setChecklistState(t, open.id, 'done');
    await setChecklistState(t, blocked.id, 'not_applicable');
    expect((await p.editor.patch(`/api/v1/milestones/${m.id}`).send({ status: 'done' })).status).toBe(200);
  });

  it('refuses to link open items to a milestone that is already done (409 naming them); closed ones may be linked', async () => {
    const m = await buildMilestone(p.pm, p.program.key, { title: 'Lisbon live', status: 'done' });
    const open = await buildChecklistItem(t, p.program.id, 'Signage up');
    const closed = await buildChecklistItem(t, p.program.id, 'Rota published', 'done');
    const refused = await p.pm.put(`/api/v1/milestones/${m.id}/checklist-items`).send({ itemIds: [open.id, closed.id] });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe('"Lisbon live" is done, so it cannot wait for open checklist items ("Signage up"): reopen it first, or close them');
    expect((await p.pm.get(`/api/v1/milestones/${m.id}`)).body.checklistItemIds).toEqual([]);
    expect((await p.pm.put(`/api/v1/milestones/${m.id}/checklist-items`).send({ itemIds: [closed.id] })).status).toBe(200);
  });

  it('lets the owner override with a written reason, recorded as an override', async () => {
    const m = await buildMilestone(p.pm, p.program.key, { title: 'Wave 1 live' });
    const open = await buildChecklistItem(t, p.program.id, 'Go/no-go sign-off');
    await p.pm.put(`/api/v1/milestones/${m.id}/checklist-items`).send({ itemIds: [open.id] });
    const res = await p.pm.patch(`/api/v1/milestones/${m.id}`).send({ status: 'done', overrideReason: 'Signed off by phone; paperwork follows' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', openChecklistItems: 1 });
    const [overridden] = await activityOf(p.pm, p.program.key, m.id);
    expect(overridden).toMatchObject({
      action: 'overridden',
      changes: { status: { before: 'not_started', after: 'done' }, overrideReason: { before: null, after: 'Signed off by phone; paperwork follows' } },
    });
    expect(overridden!.summary).toContain('Signed off by phone');
  });
});
