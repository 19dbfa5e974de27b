import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@tandem/domain';
import { Milestone } from '../src/milestones/milestone.entity';
import { Program } from '../src/programs/program.entity';
import { ChecklistTemplateItem } from '../src/rollouts/rollout.entity';
import { ProgramTemplate } from '../src/templates/program-template.entity';
import { PROCESS_ROLLOUT_TEMPLATE } from '../src/templates/templates.seed';
import { startTestApp, type TestApp } from './harness';
import { uniqueKey, type Agent } from './helpers';

/**
 * Program templates, through HTTP.
 * Real: PostgreSQL (a database of this file's own), the whole Nest app with migrations and the demo
 * seed, sessions, Supertest. The shipped templates come with the migrations, in every database;
 * what a template creates is read back through the ORM, since milestone and checklist routes
 * belong to other areas.
 */

let t: TestApp;
let pm: Agent;
let leader: Agent;
let templateId: string;

interface TemplateBody {
  id: string;
  name: string;
  milestones: { title: string; startOffsetDays: number; durationDays: number }[];
  checklist: { title: string; ownerTeam: string | null }[];
}

const body = (overrides: Record<string, unknown> = {}) => ({ templateId, key: uniqueKey('P'), name: 'Chat rollout', startDate: '2027-01-04', ...overrides });

beforeAll(async () => {
  t = await startTestApp();
  [pm, leader] = await Promise.all([t.signIn('pm@demo.tandem'), t.signIn('leader@demo.tandem')]);
  const list = await pm.get('/api/v1/templates');
  templateId = (list.body.items as TemplateBody[]).find((x) => x.name === 'Process rollout')!.id;
});

afterAll(async () => {
  await t?.close();
});

describe('shipped templates', () => {
  it('are in a database without the demo organisation: the migrations add them', async () => {
    const bare = await startTestApp({ SEED_DEMO: '0' });
    try {
      const all = await bare.orm.em.fork().find(ProgramTemplate, {});
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({ name: PROCESS_ROLLOUT_TEMPLATE.name, milestones: PROCESS_ROLLOUT_TEMPLATE.milestones, checklist: PROCESS_ROLLOUT_TEMPLATE.checklist });
    } finally {
      await bare.close();
    }
  });
});

describe('GET /templates', () => {
  it('lists the shipped Process rollout template to anyone signed in', async () => {
    const res = await leader.get('/api/v1/templates');
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const found = (res.body.items as TemplateBody[]).filter((x) => x.name === 'Process rollout');
    expect(found).toHaveLength(1);
    expect(found[0]!.milestones.map((m) => m.title)).toEqual([
      'Policy sign-off',
      'Tooling ready',
      'Training delivered',
      'QA calibration',
      'Pilot go-live',
      'Wave rollout',
      'GA',
      'Retrospective',
    ]);
    expect(found[0]!.checklist.map((c) => c.title)).toEqual(['Training done', 'Macros updated', 'QA calibration', 'Comms sent', 'WFM schedule adjusted', 'Go/no-go sign-off']);
    expect((await t.http().get('/api/v1/templates')).status).toBe(401);
  });
});

describe('POST /programs/from-template', () => {
  it('creates the program, dated milestones in order and the checklist template, owned by the caller', async () => {
    const input = body({ description: 'From the template' });
    const res = await pm.post('/api/v1/programs/from-template').send(input);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: input.key, name: 'Chat rollout', description: 'From the template', startDate: '2027-01-04', myRole: 'owner', owner: { name: 'Priya Manager' } });
    const em = t.orm.em.fork();
    const milestones = await em.find(Milestone, { program: res.body.id }, { orderBy: { position: 'asc' } });
    expect(milestones.map((m) => [m.title, m.position, m.startDate, m.dueDate, m.status])).toEqual(
      PROCESS_ROLLOUT_TEMPLATE.milestones.map((m, i) => {
        const start = addDays('2027-01-04', m.startOffsetDays);
        return [m.title, i, start, addDays(start, m.durationDays), 'not_started'];
      }),
    );
    expect(milestones[0]).toMatchObject({ startDate: '2027-01-04', dueDate: '2027-01-18', workstream: 'Policy' });
    // the program ends when its last milestone is due
    expect(res.body.targetDate).toBe(milestones.at(-1)!.dueDate);
    const items = await em.find(ChecklistTemplateItem, { program: res.body.id }, { populate: ['ownerTeam'], orderBy: { position: 'asc' } });
    expect(items.map((i) => [i.title, i.ownerTeam?.name ?? null, i.required, i.position])).toEqual(
      PROCESS_ROLLOUT_TEMPLATE.checklist.map((c, i) => [c.title, c.ownerTeam, c.required, i]),
    );
    expect(items.find((i) => i.title === 'Macros updated')!.dueOffsetDays).toBe(-3);
  });

  it('records the program, each milestone and the template in the activity log', async () => {
    const res = await pm.post('/api/v1/programs/from-template').send(body());
    const activity = (await pm.get(`/api/v1/programs/${res.body.key}/activity?limit=50`)).body.items as { entityType: string; action: string; summary: string }[];
    expect(activity.filter((a) => a.entityType === 'milestone' && a.action === 'created')).toHaveLength(8);
    expect(activity.filter((a) => a.entityType === 'checklist_template_item' && a.action === 'created')).toHaveLength(6);
    expect(activity.map((a) => a.summary)).toContain('created milestone "Pilot go-live" from the template Process rollout');
    expect(activity.find((a) => a.action === 'applied_template')!.summary).toBe('set up from the template Process rollout: 8 milestones, 6 checklist items');
    expect(activity.find((a) => a.entityType === 'program' && a.action === 'created')).toBeDefined();
  });

  it('puts the program in the chosen team', async () => {
    const teams = (await pm.get('/api/v1/teams')).body.items as { id: string; name: string }[];
    const res = await pm.post('/api/v1/programs/from-template').send(body({ teamId: teams[0]!.id }));
    expect(res.status).toBe(201);
    expect(res.body.team).toEqual(teams[0]);
  });

  it('refuses leadership with 403 and anonymous callers with 401', async () => {
    expect((await leader.post('/api/v1/programs/from-template').send(body())).status).toBe(403);
    expect((await t.http().post('/api/v1/programs/from-template').send(body())).status).toBe(401);
  });

  it('names bad fields with a 400, and creates nothing when the template does not exist', async () => {
    for (const [input, field] of [
      [body({ templateId: 'process' }), 'templateId'],
      [body({ key: 'lower' }), 'key'],
      [body({ startDate: '2027-02-30' }), 'startDate'],
      [body({ startDate: undefined }), 'startDate'],
      [body({ name: '' }), 'name'],
      [body({ milestones: [] }), 'milestones'],
      [body({ teamId: '00000000-0000-4000-8000-000000000000' }), 'teamId'],
    ] as const) {
      const res = await pm.post('/api/v1/programs/from-template').send(input);
      expect(res.status, field).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const missing = body({ templateId: '00000000-0000-4000-8000-000000000000' });
    const res = await pm.post('/api/v1/programs/from-template').send(missing);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'templateId', reason: 'no template has this id' }]);
    // the whole program rolled back with the template lookup
    expect(await t.orm.em.fork().count(Program, { key: missing.key })).toBe(0);
  });

  it('refuses a start date that would date its milestones after 2999-12-31 (400 on startDate), and creates nothing', async () => {
    // the latest date any other route accepts; the template's milestones run some months on from it
    const late = body({ startDate: '2999-12-31' });
    const res = await pm.post('/api/v1/programs/from-template').send(late);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'startDate', reason: expect.stringMatching(/^the template's milestones would be dated 3000-\d\d-\d\d, outside 1900-01-01 to 2999-12-31$/) }]);
    expect(await t.orm.em.fork().count(Program, { key: late.key })).toBe(0);
  });

  it('refuses a key already in use with 409', async () => {
    const res = await pm.post('/api/v1/programs/from-template').send(body({ key: 'QA' }));
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/QA/);
  });
});
