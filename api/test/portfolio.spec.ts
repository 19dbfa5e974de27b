import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, currentWave, todayUtc, type MilestoneStatus } from '@tandem/domain';
import { openApiDocument } from '../src/bootstrap';
import { Milestone } from '../src/milestones/milestone.entity';
import { Program } from '../src/programs/program.entity';
import { ChecklistItem, Wave } from '../src/rollouts/rollout.entity';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, signInAs, type Agent, type Person, type ProgramBody } from './helpers';

/**
 * The portfolio, through HTTP.
 * Real: PostgreSQL (a database of this file's own), the whole Nest app with migrations and the demo
 * seed, sessions, Supertest; the SQL count comes from knex's own `query` event. Milestones are
 * written through the ORM (their routes belong to another area); programs and status updates go
 * through the api. Nothing is mocked.
 */

let t: TestApp;
let admin: Agent;
let pm: Agent;
let partner: Agent;
let leader: Agent;

interface Row {
  program: { id: string; key: string; name: string; status: string };
  owner: { id: string; name: string };
  team: { id: string; name: string } | null;
  reported: { health: string; at: string } | null;
  computed: { health: string; reasons: string[] };
  signals: {
    overdueMilestones: number;
    overdueGoLives: { waveId: string; waveName: string; plannedGoLive: string; status: string; daysLate: number }[];
    overdueChecklistItems: number;
    checklist: { waveId: string; waveName: string; status: 'planned' | 'in_progress' | 'live' | 'rolled_back'; total: number; percent: number; overdueItems: number }[];
  };
  nextMilestone: { id: string; title: string; dueDate: string } | null;
  milestonesDone: { done: number; total: number; percent: number };
  trend: string[];
}

const today = todayUtc();

async function buildMilestones(programId: string, specs: { title: string; due: number | null; status?: MilestoneStatus }[]): Promise<void> {
  const em = t.orm.em.fork();
  specs.forEach((s, position) =>
    em.create(Milestone, {
      program: em.getReference(Program, programId),
      title: s.title,
      dueDate: s.due === null ? null : addDays(today, s.due),
      status: s.status ?? 'not_started',
      position,
    }),
  );
  await em.flush();
}

async function report(agent: Agent, key: string, health: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await agent.post(`/api/v1/programs/${key}/updates`).send({ health, narrative: `${health} #${i}` });
    expect(res.status).toBe(201);
  }
}

async function portfolio(agent: Agent, query: Record<string, string> = {}): Promise<Row[]> {
  const res = await agent.get('/api/v1/portfolio').query(query);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as Row[];
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, pm, partner, leader] = await Promise.all([
    t.signIn('admin@demo.tandem'),
    t.signIn('pm@demo.tandem'),
    t.signIn('partner@demo.tandem'),
    t.signIn('leader@demo.tandem'),
  ]);
});

afterAll(async () => {
  await t?.close();
});

describe('who sees which rows', () => {
  it('shows each person the programs they may read, by key', async () => {
    expect((await portfolio(pm)).map((r) => r.program.key)).toEqual(['KB', 'QA', 'VOU', 'WFM']);
    expect((await portfolio(partner)).map((r) => r.program.key)).toEqual(['QA']);
    expect((await portfolio(leader)).map((r) => r.program.key)).toEqual((await portfolio(admin)).map((r) => r.program.key));
  });

  it('leaves archived programs out', async () => {
    const program = await buildProgram(pm);
    expect((await portfolio(pm)).map((r) => r.program.key)).toContain(program.key);
    await pm.post(`/api/v1/programs/${program.key}/archive`);
    expect((await portfolio(pm)).map((r) => r.program.key)).not.toContain(program.key);
  });

  it('needs a session', async () => {
    expect((await t.http().get('/api/v1/portfolio')).status).toBe(401);
  });
});

describe('a row', () => {
  let owner: Person;
  let agent: Agent;
  let busy: ProgramBody;
  let late: ProgramBody;
  let empty: ProgramBody;
  let qaTeamId: string;

  beforeAll(async () => {
    owner = await buildPerson(admin);
    agent = await signInAs(t, owner);
    const teams = (await agent.get('/api/v1/teams')).body.items as { id: string; name: string }[];
    qaTeamId = teams.find((x) => x.name === 'Quality Assurance')!.id;
    [busy, late, empty] = [await buildProgram(agent, { teamId: qaTeamId }), await buildProgram(agent), await buildProgram(agent)];
    await buildMilestones(busy.id, [
      { title: 'Done early', due: -30, status: 'done' },
      { title: 'Done ahead', due: 2, status: 'done' },
      { title: 'Later', due: 10 },
      { title: 'Next', due: 5 },
      { title: 'Overdue', due: -3 },
      { title: 'Undated', due: null },
    ]);
    await buildMilestones(late.id, [
      { title: 'Late', due: -3 },
      { title: 'Latest', due: -8 },
    ]);
    for (const health of ['on_track', 'on_track', 'at_risk', 'off_track', 'at_risk', 'on_track', 'on_track', 'at_risk']) await report(agent, busy.key, health);
    await report(agent, late.key, 'off_track');
  });

  it('carries owner, team, reported and computed health, next milestone, % done and trend', async () => {
    const rows = await portfolio(agent);
    const row = rows.find((r) => r.program.key === busy.key)!;
    expect(row.program).toEqual({ id: busy.id, key: busy.key, name: busy.name, status: 'planning' });
    expect(row.owner).toEqual({ id: owner.id, name: owner.name });
    expect(row.team).toMatchObject({ name: 'Quality Assurance' });
    expect(row.reported).toEqual({ health: 'at_risk', at: expect.any(String) });
    // every milestone is a RACI row nobody is assigned to yet: six activities with gaps (twelve rule breaches) beside the overdue one
    expect(row.computed).toEqual({ health: 'at_risk', reasons: ['1 milestone overdue', '6 activities with RACI gaps'] });
    expect(row.signals.overdueMilestones).toBe(1);
    expect(row.nextMilestone).toMatchObject({ title: 'Next', dueDate: addDays(today, 5) });
    expect(row.milestonesDone).toEqual({ done: 2, total: 6, percent: 33 });
    // the last six of eight updates, oldest first
    expect(row.trend).toEqual(['at_risk', 'off_track', 'at_risk', 'on_track', 'on_track', 'at_risk']);
  });

  it('falls back to the earliest overdue milestone, and to nothing', async () => {
    const rows = await portfolio(agent);
    expect(rows.find((r) => r.program.key === late.key)!.nextMilestone).toMatchObject({ title: 'Latest', dueDate: addDays(today, -8) });
    const none = rows.find((r) => r.program.key === empty.key)!;
    expect(none).toMatchObject({ nextMilestone: null, reported: null, trend: [], team: null, milestonesDone: { done: 0, total: 0, percent: 0 } });
  });

  it('filters by reported health, team and owner', async () => {
    const keys = async (query: Record<string, string>) => (await portfolio(agent, query)).map((r) => r.program.key);
    expect(await keys({ health: 'at_risk' })).toEqual([busy.key]);
    expect(await keys({ health: 'off_track' })).toEqual([late.key]);
    expect(await keys({ health: 'on_track' })).toEqual([]);
    expect(await keys({ teamId: qaTeamId })).toEqual([busy.key]);
    expect(await keys({ ownerId: owner.id })).toHaveLength(3);
    const byOwner = (await portfolio(leader, { ownerId: owner.id })).map((r) => r.program.key);
    expect(byOwner.sort()).toEqual([busy.key, late.key, empty.key].sort());
    expect(await keys({ ownerId: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
  });

  it('says in the OpenAPI document that `health` filters on the reported health', () => {
    const operation = openApiDocument(t.app).paths['/api/v1/portfolio']?.get;
    expect(operation?.summary).toMatch(/health.*reported/);
    expect(operation?.parameters?.map((p) => ('name' in p ? p.name : '')).sort()).toEqual(['health', 'ownerId', 'teamId']);
  });

  it('names each bad filter with a 400', async () => {
    for (const [query, field] of [
      [{ health: 'green' }, 'health'],
      [{ teamId: 'qa' }, 'teamId'],
      [{ ownerId: '42' }, 'ownerId'],
      [{ sort: 'key' }, 'sort'],
    ] as const) {
      const res = await agent.get('/api/v1/portfolio').query(query);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('the rollout: a missed go-live and overdue checklist items', () => {
  let program: ProgramBody;
  let owner: Agent;
  const ids: Record<string, string> = {};
  const wave1GoLive = addDays(today, -5);

  /**
   * A live pilot (its leftover open item gates nothing), Wave 1 five days past its planned go-live
   * and still in progress, GA planned a month out. Open required items past due on Wave 1 and GA
   * gate go-lives still to come; an optional one, a done one and one due later do not.
   */
  beforeAll(async () => {
    owner = await signInAs(t, await buildPerson(admin));
    program = await buildProgram(owner);
    const em = t.orm.em.fork();
    const p = em.getReference(Program, program.id);
    const waves = [
      em.create(Wave, { program: p, name: 'Pilot, Lisbon', plannedGoLive: addDays(today, -20), status: 'live', position: 0, wentLiveAt: new Date() }),
      em.create(Wave, { program: p, name: 'Wave 1', plannedGoLive: wave1GoLive, status: 'in_progress', position: 1 }),
      em.create(Wave, { program: p, name: 'GA', plannedGoLive: addDays(today, 30), status: 'planned', position: 2 }),
    ];
    const items: [wave: number, title: string, state: ChecklistItem['state'], required: boolean, due: number][] = [
      [0, 'Pilot survey', 'todo', true, -25],
      [1, 'Training done', 'todo', true, -8],
      [1, 'Comms sent', 'blocked', true, -2],
      [1, 'Nice to have', 'todo', false, -3],
      [1, 'Macros updated', 'done', true, -10],
      [1, 'Go/no-go sign-off', 'todo', true, 3],
      [2, 'Training plan', 'todo', true, -1],
    ];
    const made = items.map(([w, title, state, required, due], position) =>
      em.create(ChecklistItem, { wave: waves[w]!, program: p, title, state, required, dueDate: addDays(today, due), position }),
    );
    await em.flush();
    ids.wave1 = waves[1]!.id;
    ids.gaItem = made[6]!.id;
    await report(owner, program.key, 'on_track');
  });

  const expected = () => ({
    computed: {
      health: 'off_track',
      reasons: ['3 go-live checklist items overdue, gating Wave 1 and GA', `Wave 1 go-live overdue by 5 days (planned ${wave1GoLive})`],
    },
    signals: {
      overdueMilestones: 0,
      overdueGoLives: [{ waveId: expect.any(String), waveName: 'Wave 1', plannedGoLive: wave1GoLive, status: 'in_progress', daysLate: 5 }],
      overdueChecklistItems: 3,
      checklist: [
        expect.objectContaining({ waveName: 'Pilot, Lisbon', overdueItems: 0 }),
        expect.objectContaining({ waveName: 'Wave 1', overdueItems: 2 }),
        expect.objectContaining({ waveName: 'GA', overdueItems: 1 }),
      ],
    },
  });

  it('puts them on the portfolio row leadership reads: off track, and says what is overdue', async () => {
    const row = (await portfolio(leader)).find((r) => r.program.key === program.key)!;
    // the owner reported on track; the numbers say otherwise
    expect(row.reported?.health).toBe('on_track');
    expect(row).toMatchObject(expected());
  });

  it('gives the program page the same signals and health', async () => {
    const res = await leader.get(`/api/v1/programs/${program.key}/signals`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(expected());
  });

  it('gives the status report the same, and its Markdown names the missed go-live', async () => {
    const res = await leader.get(`/api/v1/programs/${program.key}/report`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(expected());
    const md = (await leader.get(`/api/v1/programs/${program.key}/report.md`)).text;
    expect(md).toContain(`- **Go-live overdue:** Wave 1, planned ${wave1GoLive}, 5 days late`);
    expect(md).toContain('| Wave 1 | 1 | 5 | 20% | 2 |');
    expect(md).toContain('  - Wave 1 go-live overdue by 5 days');
  });

  it('goes back to on track once Wave 1 goes live and GA\'s overdue item is done', async () => {
    const live = await owner.patch(`/api/v1/waves/${ids.wave1}`).send({ status: 'live', overrideReason: 'comms follow next week' });
    expect(live.status).toBe(200);
    expect((await owner.patch(`/api/v1/checklist-items/${ids.gaItem}`).send({ state: 'done' })).status).toBe(200);
    const row = (await portfolio(leader)).find((r) => r.program.key === program.key)!;
    // Wave 1's items left open by the override gate nothing now that it is live
    expect(row.computed).toEqual({ health: 'on_track', reasons: [] });
    expect(row.signals).toMatchObject({ overdueGoLives: [], overdueChecklistItems: 0 });
  });
});

/** SQL statements issued while serving one portfolio request, counted from knex's `query` event. */
async function countQueries(person: Person): Promise<{ queries: number; rows: number }> {
  // A fresh session, so the request never includes the once-a-minute session touch.
  const agent = await signInAs(t, person);
  const knex = t.orm.em.getConnection().getKnex();
  let queries = 0;
  const count = () => void queries++;
  knex.on('query', count);
  try {
    const rows = await portfolio(agent);
    return { queries, rows: rows.length };
  } finally {
    knex.off('query', count);
  }
}

describe('one query plan, not N+1', () => {
  async function addPrograms(agent: Agent, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const program = await buildProgram(agent);
      await buildMilestones(program.id, [
        { title: 'Done', due: -4, status: 'done' },
        { title: 'Overdue', due: -2 },
        { title: 'Next', due: 7 },
      ]);
      await report(agent, program.key, i % 2 ? 'at_risk' : 'on_track', 2);
    }
  }

  it('issues the same number of queries for 4 programs and for 30', async () => {
    const person = await buildPerson(admin);
    const agent = await signInAs(t, person);
    await addPrograms(agent, 4);
    const few = await countQueries(person);
    await addPrograms(agent, 26);
    const many = await countQueries(person);
    expect(few.rows).toBe(4);
    expect(many.rows).toBe(30);
    expect(many.queries).toBe(few.queries);
    // session lookup + version + readable programs, then for the uncached: their records + four signal queries + next milestones + counts + trend
    expect(few.queries).toBeLessThanOrEqual(11);
  });

  it('answers an unchanged organisation from the session lookup and one version row, and sees every change', async () => {
    const person = await buildPerson(admin);
    const agent = await signInAs(t, person);
    await addPrograms(agent, 3);
    const first = await countQueries(person);
    const again = await countQueries(person);
    expect(again).toEqual({ queries: 2, rows: first.rows });
    // a status update, a membership elsewhere, a rename: each is seen by the next request
    await report(agent, (await portfolio(agent))[0]!.program.key, 'off_track');
    expect((await countQueries(person)).queries).toBeGreaterThan(2);
    const elsewhere = await buildProgram(pm);
    expect((await pm.post(`/api/v1/programs/${elsewhere.key}/members`).send({ userId: person.id, role: 'viewer' })).status).toBe(201);
    expect((await portfolio(agent)).map((r) => r.program.key)).toContain(elsewhere.key);
    expect((await admin.patch(`/api/v1/users/${person.id}`).send({ name: 'Another Name' })).status).toBe(200);
    expect((await portfolio(agent)).filter((r) => r.owner.id === person.id).map((r) => r.owner.name)).toEqual(['Another Name', 'Another Name', 'Another Name']);
  });
});

describe('the current wave of every rollout', () => {
  /**
   * Programs whose Pilot went live over an open required item (an override) and whose Wave 1 is
   * planned with its checklist all done: by completion alone Pilot looks current, by status it is
   * Wave 1. Waves and items go through the ORM (their routes belong to another area).
   */
  async function addRollouts(agent: Agent, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const program = await buildProgram(agent);
      const em = t.orm.em.fork();
      const p = em.getReference(Program, program.id);
      const pilot = em.create(Wave, { program: p, name: 'Pilot', plannedGoLive: addDays(today, -10), status: 'live', position: 0, wentLiveAt: new Date() });
      const wave1 = em.create(Wave, { program: p, name: 'Wave 1', plannedGoLive: addDays(today, 20), status: 'planned', position: 1 });
      em.create(ChecklistItem, { wave: pilot, program: p, title: 'Training done', state: 'done', required: true, position: 0 });
      em.create(ChecklistItem, { wave: pilot, program: p, title: 'Comms sent', state: 'todo', required: true, position: 1 });
      em.create(ChecklistItem, { wave: wave1, program: p, title: 'Training done', state: 'done', required: true, position: 0 });
      await em.flush();
    }
  }

  it('is known for more than 50 multi-wave programs from the row alone, in the same number of queries as for 3', async () => {
    const person = await buildPerson(admin);
    const agent = await signInAs(t, person);
    await addRollouts(agent, 3);
    const few = await countQueries(person);
    await addRollouts(agent, 52);
    const many = await countQueries(person);
    expect([few.rows, many.rows]).toEqual([3, 55]);
    // the signals carry each wave's status: no query per program for it, and no cap
    expect(many.queries).toBe(few.queries);
    const rows = await portfolio(agent);
    expect(rows[0]!.signals.checklist.map((w) => [w.waveName, w.status, w.percent])).toEqual([
      ['Pilot', 'live', 50],
      ['Wave 1', 'planned', 100],
    ]);
    expect(rows.map((r) => currentWave(r.signals.checklist)?.waveName)).toEqual(Array(55).fill('Wave 1'));
  });
});

describe('requests arriving together after a change', () => {
  it('share one build of the answer: the readable programs are read once, and every one gets the new answer', async () => {
    const person = await buildPerson(admin);
    const agent = await signInAs(t, person);
    const program = await buildProgram(agent);
    await report(agent, program.key, 'on_track');
    await portfolio(agent);
    await report(agent, program.key, 'off_track');
    const knex = t.orm.em.getConnection().getKnex();
    let scopeReads = 0;
    const count = (q: { sql: string }) => void (/ as stamp, /.test(q.sql) && scopeReads++);
    knex.on('query', count);
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => portfolio(agent)));
      for (const rows of answers) expect(rows.find((r) => r.program.key === program.key)?.reported?.health).toBe('off_track');
    } finally {
      knex.off('query', count);
    }
    expect(scopeReads).toBe(1);
  });
});

describe('numbers kept between requests', () => {
  it('follow a change made through the api at once: each program is cached under its revision', async () => {
    const person = await buildPerson(admin);
    const agent = await signInAs(t, person);
    const program = await buildProgram(agent);
    const row = async () => (await portfolio(agent)).find((r) => r.program.key === program.key)!;
    expect((await row()).milestonesDone).toEqual({ done: 0, total: 0, percent: 0 });
    const created = await agent.post(`/api/v1/programs/${program.key}/milestones`).send({ title: 'Kick-off', dueDate: addDays(today, -2) });
    expect(created.status).toBe(201);
    expect(await row()).toMatchObject({ milestonesDone: { done: 0, total: 1, percent: 0 }, signals: { overdueMilestones: 1 } });
    expect((await agent.patch(`/api/v1/milestones/${created.body.id}`).send({ status: 'done' })).status).toBe(200);
    expect(await row()).toMatchObject({ milestonesDone: { done: 1, total: 1, percent: 100 }, signals: { overdueMilestones: 0 } });
  });

  it('follow the owner\'s name, which changes without any activity of the program, and the latest update', async () => {
    const person = await buildPerson(admin);
    const agent = await signInAs(t, person);
    const program = await buildProgram(agent);
    const row = async () => (await portfolio(agent)).find((r) => r.program.key === program.key)!;
    expect(await row()).toMatchObject({ owner: { name: person.name }, reported: null });
    expect((await admin.patch(`/api/v1/users/${person.id}`).send({ name: 'Renamed Owner' })).status).toBe(200);
    expect((await row()).owner.name).toBe('Renamed Owner');
    await report(agent, program.key, 'off_track');
    expect(await row()).toMatchObject({ reported: { health: 'off_track' }, trend: ['off_track'] });
  });

  it('are sent as JSON with an entity tag, and a client that has the answer gets a 304', async () => {
    const first = await admin.get('/api/v1/portfolio').set('Accept-Encoding', 'identity');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(Number(first.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(first.body)));
    // gzipped for a client that accepts it (supertest decodes it), the same answer and tag
    const zipped = await admin.get('/api/v1/portfolio').set('Accept-Encoding', 'gzip, deflate, br');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(Number(zipped.headers['content-length'])).toBeLessThan(Buffer.byteLength(JSON.stringify(first.body)));
    expect(zipped.body).toEqual(first.body);
    expect(zipped.headers.etag).toBe(first.headers.etag);
    const again = await admin.get('/api/v1/portfolio').set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    const other = await pm.get('/api/v1/portfolio').set('If-None-Match', first.headers.etag!);
    expect(other.status).toBe(200);
  });
});
