import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '@tandem/domain';
import { Activity } from '../src/activity/activity.entity';
import { Baseline, BaselineMilestone, Milestone } from '../src/milestones/milestone.entity';
import { Program } from '../src/programs/program.entity';
import { RaciAssignment, RaciRow } from '../src/raci/raci.entity';
import { escapeMarkdown } from '../src/reports/report.markdown';
import { ShareLink } from '../src/reports/share-link.entity';
import { ChecklistItem, Wave } from '../src/rollouts/rollout.entity';
import { User } from '../src/users/user.entity';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, signInAs, type Agent, type ProgramBody } from './helpers';

/**
 * The status report (JSON and Markdown) and share links, through HTTP.
 * Real: PostgreSQL (a database of this file's own), the whole Nest app with migrations and the demo
 * seed, sessions, Supertest. Milestones, baselines, waves, RACI rows and milestone activity belong
 * to other areas and are written through the ORM; status updates and everything under test go
 * through the api. Nothing is mocked.
 */

let t: TestApp;
let admin: Agent;
let pm: Agent;
let partner: Agent;
let leader: Agent;
let outsider: Agent;

const today = todayUtc();
const EVIL = '# Evil [link](javascript:alert(1)) <script>x</script> | *b* _u_ `c`';

interface Fixture {
  program: ProgramBody;
  titles: Record<string, string>;
}

/** A program with a slipped milestone, a wave with a half-done checklist, RACI gaps and milestone activity around two updates. */
async function buildReportedProgram(): Promise<Fixture> {
  const program = await buildProgram(pm);
  const em = t.orm.em.fork();
  const p = em.getReference(Program, program.id);
  const pmUser = await em.findOneOrFail(User, { email: 'pm@demo.tandem' });
  const slipped = em.create(Milestone, { program: p, title: EVIL, dueDate: addDays(today, 20), position: 0 });
  const onTime = em.create(Milestone, { program: p, title: 'Training delivered', dueDate: addDays(today, 30), position: 1 });
  const baseline = em.create(Baseline, { program: p, createdBy: pmUser });
  em.create(BaselineMilestone, { baseline, milestone: slipped, dueDate: addDays(today, 11) });
  em.create(BaselineMilestone, { baseline, milestone: onTime, dueDate: addDays(today, 30) });
  const wave = em.create(Wave, { program: p, name: 'Pilot, Lisbon', plannedGoLive: addDays(today, 14) });
  for (const [i, state] of (['done', 'not_applicable', 'todo', 'blocked'] as const).entries()) {
    em.create(ChecklistItem, { wave, program: p, title: `Item ${i}`, state, position: i });
  }
  // the on-time milestone's row is complete; the slipped one has no row (a gap); one activity row has only an R
  const complete = em.create(RaciRow, { program: p, milestone: onTime });
  em.create(RaciAssignment, { row: complete, program: p, subjectType: 'user', subjectId: pmUser.id, letter: 'A' });
  em.create(RaciAssignment, { row: complete, program: p, subjectType: 'team', subjectId: pmUser.id, letter: 'R' });
  const activity = em.create(RaciRow, { program: p, activity: 'Vendor <contract> review', position: 2 });
  em.create(RaciAssignment, { row: activity, program: p, subjectType: 'user', subjectId: pmUser.id, letter: 'R' });
  await em.flush();

  const first = await pm.post(`/api/v1/programs/${program.key}/updates`).send({ health: 'on_track', narrative: 'First.' });
  const firstAt = new Date(first.body.createdAt).getTime();
  const change = (milestone: Milestone, at: number, summary: string) =>
    em.create(Activity, { program: p, actor: pmUser, entityType: 'milestone', entityId: milestone.id, action: 'updated', summary, at: new Date(at) });
  change(onTime, firstAt - 60_000, 'before the previous update');
  change(slipped, firstAt + 1_000, 'moved the due date');
  change(slipped, firstAt + 2_000, 'changed the owner');
  em.create(Activity, { program: p, actor: pmUser, entityType: 'wave', entityId: wave.id, action: 'updated', summary: 'not a milestone', at: new Date(firstAt + 3_000) });
  await em.flush();
  const narrative = '# Pilot\n\nMail priya@example.com for access.\n```\nunclosed fence';
  expect((await pm.post(`/api/v1/programs/${program.key}/updates`).send({ health: 'at_risk', narrative })).status).toBe(201);
  return { program, titles: { slipped: slipped.id, onTime: onTime.id, activity: activity.id } };
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, pm, partner, leader] = await Promise.all([
    t.signIn('admin@demo.tandem'),
    t.signIn('pm@demo.tandem'),
    t.signIn('partner@demo.tandem'),
    t.signIn('leader@demo.tandem'),
  ]);
  outsider = await signInAs(t, await buildPerson(admin));
});

afterAll(async () => {
  await t?.close();
});

describe('GET /programs/:program/report', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await buildReportedProgram();
  });

  it('reports health, changes since the previous update, slips, checklists, RACI gaps and the latest update', async () => {
    const res = await leader.get(`/api/v1/programs/${f.program.key}/report`);
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.program).toMatchObject({ key: f.program.key, owner: { name: 'Priya Manager', email: 'pm@demo.tandem' } });
    expect(r.reported).toMatchObject({ health: 'at_risk', author: { name: 'Priya Manager' } });
    expect(r.computed.health).toBe('at_risk');
    expect(r.computed.reasons).toContain('a milestone slipped 9 days against the baseline');
    expect(r.latestUpdate).toMatchObject({ health: 'at_risk', narrative: expect.stringContaining('# Pilot') });
    expect(r.changesSince).toEqual(expect.any(String));
    expect(r.milestoneChanges).toEqual([
      {
        milestoneId: f.titles.slipped,
        title: EVIL,
        changes: [
          { at: expect.any(String), action: 'updated', summary: 'moved the due date', by: 'Priya Manager' },
          { at: expect.any(String), action: 'updated', summary: 'changed the owner', by: 'Priya Manager' },
        ],
      },
    ]);
    expect(r.slips).toEqual([{ milestoneId: f.titles.slipped, title: EVIL, baselineDueDate: addDays(today, 11), dueDate: addDays(today, 20), slipDays: 9 }]);
    expect(r.checklist).toEqual([{ waveId: expect.any(String), waveName: 'Pilot, Lisbon', status: 'planned', closed: 2, total: 4, percent: 50, overdueItems: 0 }]);
    // one entry per activity with a gap, each with every rule it breaks: as many as the signals count
    expect(r.raciGaps).toEqual([
      {
        rowId: f.titles.slipped,
        kind: 'milestone',
        title: EVIL,
        problems: [expect.objectContaining({ rule: 'no_accountable' }), expect.objectContaining({ rule: 'no_responsible' })],
      },
      { rowId: f.titles.activity, kind: 'activity', title: 'Vendor <contract> review', problems: [expect.objectContaining({ rule: 'no_accountable' })] },
    ]);
    expect(r.signals.raciViolations).toBe(2);
    expect(r.computed.reasons).toContain('2 activities with RACI gaps');
    expect(Date.parse(r.generatedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('lists every milestone change when there is no previous update', async () => {
    const program = await buildProgram(pm);
    const res = await pm.get(`/api/v1/programs/${program.key}/report`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reported: null, latestUpdate: null, changesSince: null, milestoneChanges: [], slips: [], checklist: [], raciGaps: [] });
  });

  it('answers 404 to people who may not read the program', async () => {
    expect((await outsider.get(`/api/v1/programs/${f.program.key}/report`)).status).toBe(404);
    const md = await outsider.get(`/api/v1/programs/${f.program.key}/report.md`);
    expect(md.status).toBe(404);
    // the error is JSON, not labelled as Markdown
    expect(md.headers['content-type']).toMatch(/^application\/json/);
    expect(md.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Program not found' });
    expect((await partner.get('/api/v1/programs/WFM/report')).status).toBe(404);
    expect((await t.http().get('/api/v1/programs/QA/report')).status).toBe(401);
  });
});

describe('GET /programs/:program/report.md', () => {
  let f: Fixture;
  let md: string;
  beforeAll(async () => {
    f = await buildReportedProgram();
    const res = await pm.get(`/api/v1/programs/${f.program.key}/report.md`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    md = res.text;
  });

  it('has the sections of the report', () => {
    expect(md).toMatch(new RegExp(`^# Status report: \\\\\\[${f.program.key}\\\\\\] `));
    for (const heading of ['## Health', '## Milestones changed since', '## Slips against the baseline', '## Checklist progress', '## Open RACI gaps', '## Latest update']) {
      expect(md).toContain(heading);
    }
    expect(md).toContain('- Reported: **At risk**');
    expect(md).toContain('| Pilot, Lisbon | 2 | 4 | 50% | 0 |');
    expect(md).toContain('2 activities with RACI gaps:');
  });

  it('escapes titles so they cannot open headings, links, tables or HTML', () => {
    const escaped = escapeMarkdown(EVIL);
    expect(escaped).toBe('\\# Evil \\[link\\]\\(javascript:alert\\(1\\)\\) \\<script\\>x\\</script\\> \\| \\*b\\* \\_u\\_ \\`c\\`');
    expect(md).toContain(`| ${escaped} | ${addDays(today, 11)} | ${addDays(today, 20)} | 9 |`);
    expect(md).toContain('Vendor \\<contract\\> review (activity): needs exactly one Accountable \\(A\\); it has none');
    expect(md).toContain(`${escaped} (milestone): needs exactly one Accountable \\(A\\); it has none; needs at least one Responsible \\(R\\)`);
    expect(md).not.toContain('<script>');
    expect(md).not.toMatch(/\]\(javascript/);
    expect(escapeMarkdown('- item\n# heading')).toBe('\\- item \\# heading');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
  });

  it('quotes the narrative as the author wrote it, between markers, at the end', () => {
    const start = md.indexOf('<!-- narrative');
    const end = md.indexOf('<!-- end of narrative -->');
    expect(start).toBeGreaterThan(md.indexOf('## Open RACI gaps'));
    expect(md.slice(start, end)).toContain('> # Pilot\n>\n> Mail priya@example.com for access.\n> ```\n> unclosed fence\n\n');
    expect(md.trimEnd().endsWith('<!-- end of narrative -->')).toBe(true);
  });
});

describe('share links', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await buildReportedProgram();
  });

  const create = (agent: Agent, key: string, body: object = {}) => agent.post(`/api/v1/programs/${key}/share-links`).send(body);

  it('creates a link whose token opens the report without a session, and without emails', async () => {
    const res = await create(pm, f.program.key, { expiresInDays: 7 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), url: `/share/${res.body.token}`, token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const shared = await t.http().get(`/api/v1/shared/${res.body.token}/report`);
    expect(shared.status).toBe(200);
    expect(shared.body.program).toMatchObject({ key: f.program.key, owner: { name: 'Priya Manager' } });
    expect(shared.body.slips).toHaveLength(1);
    const text = JSON.stringify(shared.body);
    expect(text).not.toContain('@demo.tandem');
    expect(text).not.toContain('priya@example.com');
    expect(shared.body.latestUpdate.narrative).toContain('Mail [email hidden] for access.');
    const md = await t.http().get(`/api/v1/shared/${res.body.token}/report.md`);
    expect(md.status).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.text).not.toContain('@');
  });

  it('stores only a hash of the token and records activity', async () => {
    const res = await create(pm, f.program.key);
    const link = await t.orm.em.fork().findOneOrFail(ShareLink, { id: res.body.id });
    expect(link.tokenHash).not.toContain(res.body.token);
    expect(Math.round((link.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(30);
    const activity = (await pm.get(`/api/v1/programs/${f.program.key}/activity`)).body.items[0];
    expect(activity).toMatchObject({ entityType: 'share_link', entityId: res.body.id, action: 'created' });
  });

  it('lists links without tokens, newest first, for managers only', async () => {
    const made = await create(pm, f.program.key);
    const res = await pm.get(`/api/v1/programs/${f.program.key}/share-links?limit=1`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { id: made.body.id, createdAt: expect.any(String), createdBy: { id: expect.any(String), name: 'Priya Manager' }, expiresAt: made.body.expiresAt, revokedAt: null, active: true },
    ]);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain(made.body.token);
    const next = await pm.get(`/api/v1/programs/${f.program.key}/share-links?limit=1&cursor=${res.body.nextCursor}`);
    expect(next.body.items[0].id).not.toBe(made.body.id);
    expect((await partner.get('/api/v1/programs/QA/share-links')).status).toBe(403);
    expect((await leader.get(`/api/v1/programs/${f.program.key}/share-links`)).status).toBe(403);
    expect((await outsider.get(`/api/v1/programs/${f.program.key}/share-links`)).status).toBe(404);
  });

  it('refuses editors, leadership and non-readers, and bad bodies', async () => {
    expect((await create(partner, 'QA')).status).toBe(403);
    expect((await create(leader, 'QA')).status).toBe(403);
    expect((await create(outsider, 'QA')).status).toBe(404);
    for (const [body, field] of [
      [{ expiresInDays: 0 }, 'expiresInDays'],
      [{ expiresInDays: 366 }, 'expiresInDays'],
      [{ expiresInDays: 1.5 }, 'expiresInDays'],
      [{ token: 'mine' }, 'token'],
    ] as const) {
      const res = await create(pm, f.program.key, body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe(field);
    }
  });

  it('revokes: the link answers 404 like an unknown one, and revoking again is harmless', async () => {
    const made = await create(pm, f.program.key);
    expect((await t.http().get(`/api/v1/shared/${made.body.token}/report`)).status).toBe(200);
    const del = await pm.delete(`/api/v1/share-links/${made.body.id}`);
    expect(del.status).toBe(204);
    const revoked = await t.http().get(`/api/v1/shared/${made.body.token}/report`);
    const unknown = await t.http().get(`/api/v1/shared/${'A'.repeat(43)}/report`);
    const malformed = await t.http().get('/api/v1/shared/nope/report.md');
    expect([revoked.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
    expect(revoked.body).toEqual(unknown.body);
    expect(malformed.body).toEqual(unknown.body);
    expect((await pm.delete(`/api/v1/share-links/${made.body.id}`)).status).toBe(204);
    const activity = (await pm.get(`/api/v1/programs/${f.program.key}/activity`)).body.items;
    expect(activity.filter((a: { entityId: string; action: string }) => a.entityId === made.body.id && a.action === 'revoked')).toHaveLength(1);
    const listed = (await pm.get(`/api/v1/programs/${f.program.key}/share-links`)).body.items.find((l: { id: string }) => l.id === made.body.id);
    expect(listed).toMatchObject({ active: false, revokedAt: expect.any(String) });
  });

  it('expires: an expired link answers 404', async () => {
    const made = await create(pm, f.program.key, { expiresInDays: 1 });
    await t.orm.em.fork().nativeUpdate(ShareLink, { id: made.body.id }, { expiresAt: new Date(Date.now() - 1000) });
    const res = await t.http().get(`/api/v1/shared/${made.body.token}/report`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Not found' });
  });

  it('revoking needs manage on the link\'s program; others get 403 or 404', async () => {
    const onQa = await create(pm, 'QA');
    expect(onQa.status).toBe(201);
    expect((await partner.delete(`/api/v1/share-links/${onQa.body.id}`)).status).toBe(403);
    expect((await outsider.delete(`/api/v1/share-links/${onQa.body.id}`)).status).toBe(404);
    expect((await pm.delete('/api/v1/share-links/not-a-uuid')).status).toBe(404);
    expect((await pm.delete('/api/v1/share-links/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.http().get(`/api/v1/shared/${onQa.body.token}/report`)).status).toBe(200);
  });

  it('scopes a link to its one program', async () => {
    const made = await create(pm, f.program.key);
    const shared = await t.http().get(`/api/v1/shared/${made.body.token}/report`);
    expect(shared.body.program.id).toBe(f.program.id);
    // the shared routes take no program parameter: nothing else is reachable with the token
    expect((await t.http().get(`/api/v1/programs/QA/report`).set('Authorization', `Bearer ${made.body.token}`)).status).toBe(401);
  });
});
