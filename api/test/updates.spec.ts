import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '@tandem/domain';
import { Milestone } from '../src/milestones/milestone.entity';
import { Program } from '../src/programs/program.entity';
import { StatusUpdate } from '../src/updates/status-update.entity';
import { User } from '../src/users/user.entity';
import { startTestApp, type TestApp } from './harness';
import { buildProgram, type Agent, type ProgramBody } from './helpers';

/**
 * Status updates and the signals endpoint, through HTTP.
 * Real: PostgreSQL (a database of this file's own), the whole Nest app with migrations and the demo
 * seed, sessions, Supertest. Milestones are written through the ORM (their routes belong to another
 * area); everything under test goes through the api. Nothing is mocked.
 */

let t: TestApp;
let pm: Agent;
let partner: Agent;
let leader: Agent;
let qaLead: Agent;

interface UpdateBody {
  id: string;
  health: string;
  narrative: string;
  author: { id: string; name: string; email?: string };
  createdAt: string;
}

async function buildMilestone(programId: string, overrides: Partial<Pick<Milestone, 'title' | 'dueDate' | 'status'>> = {}): Promise<void> {
  const em = t.orm.em.fork();
  em.create(Milestone, { program: em.getReference(Program, programId), title: 'A milestone', ...overrides });
  await em.flush();
}

/** A status update posted at `createdAt` (the api stamps the time itself, so history is written through the ORM). */
async function buildUpdate(programId: string, createdAt: Date, overrides: Partial<Pick<StatusUpdate, 'id' | 'health' | 'narrative'>> = {}): Promise<void> {
  const em = t.orm.em.fork();
  const author = await em.findOneOrFail(User, { email: 'pm@demo.tandem' });
  em.create(StatusUpdate, { program: em.getReference(Program, programId), author, health: 'on_track', narrative: createdAt.toISOString(), createdAt, ...overrides });
  await em.flush();
}

beforeAll(async () => {
  t = await startTestApp();
  [pm, partner, leader, qaLead] = await Promise.all([
    t.signIn('pm@demo.tandem'),
    t.signIn('partner@demo.tandem'),
    t.signIn('leader@demo.tandem'),
    t.signIn('qa.lead@demo.tandem'),
  ]);
});

afterAll(async () => {
  await t?.close();
});

describe('POST /programs/:program/updates', () => {
  it('records health and narrative with its author, and an activity row', async () => {
    const program = await buildProgram(pm);
    const res = await pm.post(`/api/v1/programs/${program.key}/updates`).send({ health: 'at_risk', narrative: '**Pilot** slipped a week.' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ health: 'at_risk', narrative: '**Pilot** slipped a week.', author: { name: 'Priya Manager' } });
    expect(res.body.author).not.toHaveProperty('email');
    const activity = await pm.get(`/api/v1/programs/${program.key}/activity`);
    expect(activity.body.items[0]).toMatchObject({
      entityType: 'status_update',
      entityId: res.body.id,
      action: 'created',
      actor: { name: 'Priya Manager' },
      changes: { health: { before: null, after: 'at_risk' } },
    });
    const second = await pm.post(`/api/v1/programs/${program.id}/updates`).send({ health: 'on_track', narrative: 'Recovered.' });
    expect(second.status).toBe(201);
    const latest = (await pm.get(`/api/v1/programs/${program.key}/activity`)).body.items[0];
    expect(latest.changes).toEqual({ health: { before: 'at_risk', after: 'on_track' } });
  });

  it('lets editors write and refuses viewers and leadership with 403', async () => {
    expect((await partner.post('/api/v1/programs/QA/updates').send({ health: 'on_track', narrative: 'Fine.' })).status).toBe(201);
    expect((await qaLead.post('/api/v1/programs/VOU/updates').send({ health: 'on_track', narrative: 'Fine.' })).status).toBe(403);
    expect((await leader.post('/api/v1/programs/QA/updates').send({ health: 'on_track', narrative: 'Fine.' })).status).toBe(403);
  });

  it('answers 404 for programs the caller may not read, or that do not exist', async () => {
    expect((await partner.post('/api/v1/programs/WFM/updates').send({ health: 'on_track', narrative: 'x' })).status).toBe(404);
    expect((await pm.post('/api/v1/programs/00000000-0000-4000-8000-000000000000/updates').send({ health: 'on_track', narrative: 'x' })).status).toBe(404);
    expect((await pm.post('/api/v1/programs/NOPE/updates').send({ health: 'on_track', narrative: 'x' })).status).toBe(404);
  });

  it('names each bad field with a 400', async () => {
    const cases: [unknown, string][] = [
      [{ narrative: 'x' }, 'health'],
      [{ health: 'fine', narrative: 'x' }, 'health'],
      [{ health: 'on_track', narrative: '   ' }, 'narrative'],
      [{ health: 'on_track', narrative: 'x'.repeat(50_001) }, 'narrative'],
      [{ health: 'on_track', narrative: 'x', author: 'me' }, 'author'],
    ];
    for (const [body, field] of cases) {
      const res = await pm.post('/api/v1/programs/QA/updates').send(body as object);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('refuses an archived program with 409', async () => {
    const program = await buildProgram(pm);
    await pm.post(`/api/v1/programs/${program.key}/archive`);
    const res = await pm.post(`/api/v1/programs/${program.key}/updates`).send({ health: 'on_track', narrative: 'x' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/archived/);
  });

  it('needs a session', async () => {
    expect((await t.http().post('/api/v1/programs/QA/updates').send({ health: 'on_track', narrative: 'x' })).status).toBe(401);
    expect((await t.http().get('/api/v1/programs/QA/updates')).status).toBe(401);
  });
});

describe('GET /programs/:program/updates', () => {
  let program: ProgramBody;

  beforeAll(async () => {
    program = await buildProgram(pm);
    for (const [i, health] of (['on_track', 'at_risk', 'off_track', 'at_risk', 'on_track'] as const).entries()) {
      const res = await pm.post(`/api/v1/programs/${program.key}/updates`).send({ health, narrative: `Update ${i}` });
      expect(res.status).toBe(201);
    }
  });

  it('lists newest first with the author, page by page without skipping or repeating', async () => {
    const seen: UpdateBody[] = [];
    let cursor: string | null = null;
    do {
      const res = await pm.get(`/api/v1/programs/${program.key}/updates`).query({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as UpdateBody[]));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.map((u) => u.narrative)).toEqual(['Update 4', 'Update 3', 'Update 2', 'Update 1', 'Update 0']);
    expect(seen[0]!.author).toEqual({ id: expect.any(String), name: 'Priya Manager' });
  });

  it('lets any reader list, and hides the program from others', async () => {
    expect((await leader.get(`/api/v1/programs/${program.key}/updates`)).status).toBe(200);
    expect((await partner.get(`/api/v1/programs/${program.key}/updates`)).status).toBe(404);
  });

  it('refuses a cursor it did not issue, and a bad limit, with 400', async () => {
    const bad = await pm.get(`/api/v1/programs/${program.key}/updates?cursor=not-a-cursor`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('cursor');
    const forged = Buffer.from(JSON.stringify(['yesterday', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    expect((await pm.get(`/api/v1/programs/${program.key}/updates?cursor=${forged}`)).status).toBe(400);
    expect((await pm.get(`/api/v1/programs/${program.key}/updates?limit=0`)).status).toBe(400);
  });
});

describe('GET /programs/:program/updates?since=', () => {
  const today = todayUtc();
  const since = addDays(today, -120);
  const day = (days: number, time = '10:00:00.000') => new Date(`${addDays(today, days)}T${time}Z`);
  let program: ProgramBody;

  async function allPages(query: Record<string, string | number>): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await leader.get(`/api/v1/programs/${program.key}/updates`).query({ ...query, ...(cursor ? { cursor } : {}) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      seen.push(...(res.body.items as UpdateBody[]).map((u) => u.narrative));
      cursor = res.body.nextCursor;
    } while (cursor);
    return seen;
  }

  beforeAll(async () => {
    program = await buildProgram(pm);
    for (const days of [-300, -200, -150, -100, -50, -10]) await buildUpdate(program.id, day(days), { narrative: `day ${days}` });
    // two posted in the same millisecond: the list's order (and so the one in force) breaks the tie by id
    await buildUpdate(program.id, day(-130), { narrative: 'day -130', id: 'ffffffff-0000-4000-8000-000000000000' });
    await buildUpdate(program.id, day(-130), { narrative: 'day -130, same instant', id: '00000000-0000-4000-8000-000000000000' });
    await buildUpdate(program.id, new Date(`${since}T00:00:00.000Z`), { narrative: 'at since' });
  });

  it('returns the updates from `since` on and the one in force at it, nothing older, page by page', async () => {
    const expected = ['day -10', 'day -50', 'day -100', 'at since', 'day -130'];
    expect(await allPages({ since, limit: 200 })).toEqual(expected);
    expect(await allPages({ since, limit: 2 })).toEqual(expected);
    expect(await allPages({ since, limit: 1 })).toEqual(expected);
    // without `since`, the whole history, as before
    expect(await allPages({ limit: 3 })).toEqual([...expected, 'day -130, same instant', 'day -150', 'day -200', 'day -300']);
  });

  it('takes a date-time with a time zone, and starts at `since` when nothing was posted before it', async () => {
    expect(await allPages({ since: `${addDays(today, -100)}T09:00:00-02:00` })).toEqual(['day -10', 'day -50', 'day -100']);
    expect(await allPages({ since: `${addDays(today, -100)}T10:00:00.001Z` })).toEqual(['day -10', 'day -50', 'day -100']);
    expect(await allPages({ since: addDays(today, -1000) })).toHaveLength(9);
    const fresh = await buildProgram(pm);
    expect((await leader.get(`/api/v1/programs/${fresh.key}/updates`).query({ since })).body).toEqual({ items: [], nextCursor: null });
  });

  it('names `since` in a 400 when it is not a date or a date-time with a time zone', async () => {
    for (const bad of ['yesterday', '2026-02-30', '0000-01-01', '3000-01-01', `${today}T10:00:00`, '', '1700000000000']) {
      const res = await leader.get(`/api/v1/programs/${program.key}/updates`).query({ since: bad });
      expect(res.status, bad).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field), bad).toEqual(['since']);
    }
  });

  it('hides the program from others, whatever the query', async () => {
    expect((await partner.get(`/api/v1/programs/${program.key}/updates`).query({ since })).status).toBe(404);
  });
});

describe('GET /programs/:program/signals', () => {
  it('shows computed health without a reported one before the first update', async () => {
    const program = await buildProgram(pm);
    const res = await pm.get(`/api/v1/programs/${program.key}/signals`);
    expect(res.status).toBe(200);
    expect(res.body.reported).toBeNull();
    expect(res.body.computed).toEqual({ health: 'at_risk', reasons: ['no status update yet'] });
    expect(res.body.signals).toMatchObject({ overdueMilestones: 0, stale: true, daysSinceLastUpdate: null, checklist: [] });
  });

  it('sets the reported health beside what the numbers say', async () => {
    const program = await buildProgram(pm);
    const today = todayUtc();
    for (const days of [-10, -5, -1]) await buildMilestone(program.id, { title: `Late ${days}`, dueDate: addDays(today, days) });
    await buildMilestone(program.id, { title: 'Done late', dueDate: addDays(today, -20), status: 'done' });
    await pm.post(`/api/v1/programs/${program.key}/updates`).send({ health: 'on_track', narrative: 'All good, honestly.' });
    const res = await leader.get(`/api/v1/programs/${program.id}/signals`);
    expect(res.status).toBe(200);
    expect(res.body.reported).toEqual({ health: 'on_track', at: expect.any(String), author: { id: expect.any(String), name: 'Priya Manager' } });
    expect(res.body.computed.health).toBe('off_track');
    expect(res.body.computed.reasons).toContain('3 milestones overdue');
    expect(res.body.signals).toMatchObject({ overdueMilestones: 3, daysSinceLastUpdate: 0, stale: false });
  });

  it('answers 404 to non-readers', async () => {
    expect((await partner.get('/api/v1/programs/WFM/signals')).status).toBe(404);
  });
});
