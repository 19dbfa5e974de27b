import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/bootstrap';
import { AccessChanges, type AccessChange } from '../src/live/access-changes';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, programInput, signInAs, type Agent, type ProgramBody } from './helpers';

/**
 * Who may see and change which program, through the http api.
 * Real: PostgreSQL (a database of this file's own), the whole Nest app with migrations and the demo
 * seed, sessions and cookies, HTTP through Supertest. Demo programs are only read here (or written
 * by people who must be refused); everything that changes a program works on programs these tests
 * create. Nothing is mocked.
 */

let t: TestApp;
let admin: Agent;
let pm: Agent;
let partner: Agent;
let leader: Agent;
let qaLead: Agent;
let wfm: ProgramBody;
let qa: ProgramBody;
let vou: ProgramBody;

const NOT_A_PROGRAM = '00000000-0000-4000-8000-000000000000';
const SOME_PERSON = '00000000-0000-4000-8000-0000000000aa';

async function keysSeenBy(agent: Agent, query = ''): Promise<string[]> {
  const res = await agent.get(`/api/v1/programs?limit=200${query}`);
  expect(res.status).toBe(200);
  return (res.body.items as ProgramBody[]).map((p) => p.key);
}

async function idOf(email: string): Promise<string> {
  const res = await admin.get('/api/v1/users?limit=200');
  const found = (res.body.items as { id: string; email: string }[]).find((u) => u.email === email);
  if (!found) throw new Error(`no ${email}`);
  return found.id;
}

beforeAll(async () => {
  t = await startTestApp();
  [admin, pm, partner, leader, qaLead] = await Promise.all([
    t.signIn('admin@demo.tandem'),
    t.signIn('pm@demo.tandem'),
    t.signIn('partner@demo.tandem'),
    t.signIn('leader@demo.tandem'),
    t.signIn('qa.lead@demo.tandem'),
  ]);
  const all = (await admin.get('/api/v1/programs?limit=200')).body.items as ProgramBody[];
  const byKey = (key: string) => all.find((p) => p.key === key)!;
  [wfm, qa, vou] = [byKey('WFM'), byKey('QA'), byKey('VOU')];
});

afterAll(async () => {
  await t?.close();
});

describe('who sees which programs (the acceptance criteria)', () => {
  it('shows the admin at least 3 programs', async () => {
    expect((await keysSeenBy(admin)).length).toBeGreaterThanOrEqual(3);
  });

  it('shows the partner fewer than the admin, at least one: exactly QA', async () => {
    const [forAdmin, forPartner] = [await keysSeenBy(admin), await keysSeenBy(partner)];
    expect(forPartner.length).toBeLessThan(forAdmin.length);
    expect(forPartner.length).toBeGreaterThanOrEqual(1);
    expect(forPartner).toEqual(['QA']);
  });

  it('shows leadership (org viewer) as many programs as the admin', async () => {
    expect(await keysSeenBy(leader)).toEqual(await keysSeenBy(admin));
  });

  it('tells each reader their role and ability on each program', async () => {
    const res = await qaLead.get('/api/v1/programs');
    const byKey = Object.fromEntries((res.body.items as ProgramBody[]).map((p) => [p.key, p]));
    expect(Object.keys(byKey)).toEqual(['QA', 'VOU']);
    expect(byKey.QA).toMatchObject({ myRole: 'editor', ability: { read: true, write: true, manage: false } });
    expect(byKey.VOU).toMatchObject({ myRole: 'viewer', ability: { read: true, write: false, manage: false } });
  });

  it('refuses leadership creating a program (403)', async () => {
    const res = await leader.post('/api/v1/programs').send(programInput());
    expect(res.status).toBe(403);
  });
});

describe('anonymous requests', () => {
  const routes: [method: 'get' | 'post' | 'patch' | 'delete', path: string][] = [
    ['get', '/api/v1/auth/me'],
    ['get', '/api/v1/users'],
    ['post', '/api/v1/users'],
    ['get', `/api/v1/users/${SOME_PERSON}`],
    ['patch', `/api/v1/users/${SOME_PERSON}`],
    ['get', '/api/v1/teams'],
    ['get', '/api/v1/programs'],
    ['post', '/api/v1/programs'],
    ['get', '/api/v1/programs/QA'],
    ['patch', '/api/v1/programs/QA'],
    ['post', '/api/v1/programs/QA/archive'],
    ['post', '/api/v1/programs/QA/restore'],
    ['get', '/api/v1/programs/QA/members'],
    ['post', '/api/v1/programs/QA/members'],
    ['patch', `/api/v1/programs/QA/members/${SOME_PERSON}`],
    ['delete', `/api/v1/programs/QA/members/${SOME_PERSON}`],
  ];

  it.each(routes)('%s %s → 401', async (method, path) => {
    const res = await t.http()[method](path).send({ name: 'x' });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Sign in to continue');
  });

  /**
   * Every route the app documents, not only the ones above: a new route is protected unless it is
   * added here on purpose.
   */
  // The token in the path is the permission on these: without a valid one they answer 404, not 401.
  const PUBLIC = new Set([
    'post /api/v1/auth/login',
    'post /api/v1/auth/logout',
    'get /api/v1/auth/providers',
    'get /api/v1/auth/oidc/start',
    'get /api/v1/auth/oidc/callback',
    'get /health/live',
    'get /health/ready',
    'get /api/v1/shared/{token}/report',
    'get /api/v1/shared/{token}/report.md',
    'get /api/v1/calendar/{file}',
  ]);

  it('every documented route other than sign-in, sign-out, health and token links answers 401', async () => {
    const doc = openApiDocument(t.app);
    const seen: string[] = [];
    const wrong: string[] = [];
    for (const [template, operations] of Object.entries(doc.paths)) {
      const path = template.replace(/\{[^}]+\}/g, SOME_PERSON);
      for (const method of Object.keys(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const name = `${method} ${template}`;
        seen.push(name);
        if (PUBLIC.has(name)) continue;
        const res = await t.http()[method as 'get'](path).send({});
        if (res.status !== 401) wrong.push(`${name} → ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    // the table above covers at least what is documented for these modules
    for (const [method, path] of routes) {
      const template = path.replace(SOME_PERSON, '{id}').replace('/QA', '/{program}').replace(`/members/{id}`, '/members/{userId}');
      expect(seen, `${method} ${path}`).toContain(`${method} ${template}`);
    }
  });

  it('is refused with a cookie that is not a session (401)', async () => {
    const res = await t.http().get('/api/v1/programs').set('Cookie', 'tandem_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(401);
  });

  it('may still read the health checks', async () => {
    expect((await t.http().get('/health/live')).status).toBe(200);
    expect((await t.http().get('/health/ready')).status).toBe(200);
  });
});

describe('a program the caller may not see answers exactly like one that does not exist', () => {
  const requests = (program: string): [string, (a: Agent) => ReturnType<Agent['get']>][] => [
    ['GET program', (a) => a.get(`/api/v1/programs/${program}`)],
    ['GET members', (a) => a.get(`/api/v1/programs/${program}/members`)],
    ['PATCH program', (a) => a.patch(`/api/v1/programs/${program}`).send({ name: 'Taken over' })],
    ['POST archive', (a) => a.post(`/api/v1/programs/${program}/archive`)],
    ['POST restore', (a) => a.post(`/api/v1/programs/${program}/restore`)],
    ['POST members', (a) => a.post(`/api/v1/programs/${program}/members`).send({ userId: SOME_PERSON, role: 'owner' })],
    ['PATCH member', (a) => a.patch(`/api/v1/programs/${program}/members/${SOME_PERSON}`).send({ role: 'owner' })],
    ['DELETE member', (a) => a.delete(`/api/v1/programs/${program}/members/${SOME_PERSON}`)],
  ];

  it.each(['key', 'lower-case key', 'id'])('partner on WFM by %s: every route is 404, identical to a missing program', async (by) => {
    const hidden = by === 'id' ? wfm.id : by === 'key' ? 'WFM' : 'wfm';
    const missing = by === 'id' ? NOT_A_PROGRAM : 'NOPE';
    for (const [[name, hiddenReq], [, missingReq]] of requests(hidden).map((r, i) => [r, requests(missing)[i]!] as const)) {
      const [a, b] = [await hiddenReq(partner), await missingReq(partner)];
      expect(a.status, name).toBe(404);
      expect(a.text, name).toBe(b.text);
      expect(a.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Program not found' });
    }
  });

  it('the refused writes changed nothing', async () => {
    const res = await admin.get('/api/v1/programs/WFM');
    expect(res.body).toMatchObject({ name: wfm.name, archivedAt: null, owner: { email: 'pm@demo.tandem' } });
    const members = await admin.get('/api/v1/programs/WFM/members');
    expect((members.body.items as { user: { id: string } }[]).map((m) => m.user.id)).not.toContain(SOME_PERSON);
  });

  it('a member of a program who is a non-member elsewhere gets 404 on members of that program too', async () => {
    const wfmAnalyst = await t.signIn('wfm.analyst@demo.tandem');
    expect((await wfmAnalyst.get('/api/v1/programs/QA/members')).status).toBe(404);
    expect((await wfmAnalyst.get(`/api/v1/programs/${qa.id}`)).status).toBe(404);
  });
});

describe('viewers may read but not write (403)', () => {
  const writes = (program: string, memberId: string): [string, (a: Agent) => ReturnType<Agent['get']>][] => [
    ['PATCH program', (a) => a.patch(`/api/v1/programs/${program}`).send({ name: 'Renamed by a viewer' })],
    ['POST archive', (a) => a.post(`/api/v1/programs/${program}/archive`)],
    ['POST restore', (a) => a.post(`/api/v1/programs/${program}/restore`)],
    ['POST members', (a) => a.post(`/api/v1/programs/${program}/members`).send({ userId: memberId, role: 'viewer' })],
    ['PATCH member', (a) => a.patch(`/api/v1/programs/${program}/members/${memberId}`).send({ role: 'viewer' })],
    ['DELETE member', (a) => a.delete(`/api/v1/programs/${program}/members/${memberId}`)],
  ];

  it('leadership (org viewer) reads QA and every write on it is 403', async () => {
    expect((await leader.get('/api/v1/programs/QA')).status).toBe(200);
    expect((await leader.get('/api/v1/programs/QA/members')).status).toBe(200);
    const partnerId = await idOf('partner@demo.tandem');
    for (const [name, send] of writes('QA', partnerId)) {
      const res = await send(leader);
      expect(res.status, name).toBe(403);
      expect(res.body.message, name).toMatch(/does not allow/);
    }
  });

  it('a program viewer (qa.lead on VOU) reads VOU and every write on it is 403', async () => {
    const res = await qaLead.get('/api/v1/programs/VOU');
    expect(res.status).toBe(200);
    expect(res.body.myRole).toBe('viewer');
    const qaLeadId = await idOf('qa.lead@demo.tandem');
    for (const [name, send] of writes(vou.key, qaLeadId)) expect((await send(qaLead)).status, name).toBe(403);
  });

  it('an editor (partner on QA) reads but may not change the program or its members (403)', async () => {
    const res = await partner.get('/api/v1/programs/QA');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ myRole: 'editor', ability: { read: true, write: true, manage: false } });
    expect((await partner.get('/api/v1/programs/QA/members')).status).toBe(200);
    const qaLeadId = await idOf('qa.lead@demo.tandem');
    for (const [name, send] of writes('QA', qaLeadId)) expect((await send(partner)).status, name).toBe(403);
  });

  it('the refused writes changed nothing on QA', async () => {
    const res = await admin.get('/api/v1/programs/QA');
    expect(res.body).toMatchObject({ name: qa.name, archivedAt: null, status: qa.status });
    const members = await admin.get('/api/v1/programs/QA/members');
    const roles = Object.fromEntries((members.body.items as { user: { email: string }; role: string }[]).map((m) => [m.user.email, m.role]));
    expect(roles).toEqual({ 'pm@demo.tandem': 'owner', 'partner@demo.tandem': 'editor', 'qa.lead@demo.tandem': 'editor' });
  });
});

describe('owners manage their program', () => {
  it('the creator becomes the owner and its owner member', async () => {
    const program = await buildProgram(pm);
    expect(program).toMatchObject({ myRole: 'owner', ability: { read: true, write: true, manage: true }, owner: { email: 'pm@demo.tandem' } });
    const members = await pm.get(`/api/v1/programs/${program.key}/members`);
    expect(members.body.items).toEqual([expect.objectContaining({ role: 'owner', user: expect.objectContaining({ email: 'pm@demo.tandem' }) })]);
  });

  it('creating a program with a key already in use is 409', async () => {
    const program = await buildProgram(pm);
    const res = await pm.post('/api/v1/programs').send(programInput({ key: program.key }));
    expect(res.status).toBe(409);
    expect(res.body.message).toContain(program.key);
    expect((await pm.post('/api/v1/programs').send(programInput({ key: 'QA' }))).status).toBe(409);
  });

  it('the owner may update the program', async () => {
    const program = await buildProgram(pm);
    const res = await pm.patch(`/api/v1/programs/${program.key}`).send({ name: 'Renamed', status: 'active', startDate: '2030-01-01', targetDate: '2030-06-30' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', status: 'active', startDate: '2030-01-01', targetDate: '2030-06-30' });
    expect((await pm.get(`/api/v1/programs/${program.id}`)).body.name).toBe('Renamed');
  });

  it('the owner may add a member, change their role and remove them', async () => {
    const program = await buildProgram(pm);
    const person = await buildPerson(admin);
    const added = await pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: person.id, role: 'viewer' });
    expect([200, 201]).toContain(added.status);
    expect(added.body).toMatchObject({ role: 'viewer', user: { id: person.id, email: person.email } });

    const agent = await signInAs(t, person);
    expect((await agent.get(`/api/v1/programs/${program.key}`)).body.myRole).toBe('viewer');

    const changed = await pm.patch(`/api/v1/programs/${program.key}/members/${person.id}`).send({ role: 'editor' });
    expect(changed.status).toBe(200);
    expect(changed.body.role).toBe('editor');
    expect((await agent.get(`/api/v1/programs/${program.key}`)).body.myRole).toBe('editor');

    const removed = await pm.delete(`/api/v1/programs/${program.key}/members/${person.id}`);
    expect(removed.status).toBe(204);
    expect((await agent.get(`/api/v1/programs/${program.key}`)).status).toBe(404);
  });

  it('a second owner member may manage the program', async () => {
    const program = await buildProgram(pm);
    const person = await buildPerson(admin);
    await pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: person.id, role: 'owner' });
    const agent = await signInAs(t, person);
    expect((await agent.patch(`/api/v1/programs/${program.key}`).send({ description: 'co-owned' })).status).toBe(200);
  });

  it('adding someone who is already a member is 409', async () => {
    const program = await buildProgram(pm);
    const person = await buildPerson(admin);
    await pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: person.id, role: 'viewer' });
    const again = await pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: person.id, role: 'editor' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already a member/);
  });

  it('adding a deactivated person is 409', async () => {
    const program = await buildProgram(pm);
    const person = await buildPerson(admin);
    await admin.patch(`/api/v1/users/${person.id}`).send({ active: false });
    expect((await pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: person.id, role: 'viewer' })).status).toBe(409);
  });

  it('changing or removing someone who is not a member is 404', async () => {
    const program = await buildProgram(pm);
    const person = await buildPerson(admin);
    expect((await pm.patch(`/api/v1/programs/${program.key}/members/${person.id}`).send({ role: 'editor' })).status).toBe(404);
    expect((await pm.delete(`/api/v1/programs/${program.key}/members/${person.id}`)).status).toBe(404);
  });

  it('the named owner cannot be removed or demoted (409 naming the reason)', async () => {
    const program = await buildProgram(pm);
    const pmId = program.owner.id;
    const demote = await pm.patch(`/api/v1/programs/${program.key}/members/${pmId}`).send({ role: 'editor' });
    expect(demote.status).toBe(409);
    expect(demote.body.message).toMatch(/is the owner of/);
    expect(demote.body.message).toMatch(/make someone else the owner first/);
    const remove = await pm.delete(`/api/v1/programs/${program.key}/members/${pmId}`);
    expect(remove.status).toBe(409);
    expect(remove.body.message).toMatch(/owner/);
    // an admin is held to the same rule
    expect((await admin.delete(`/api/v1/programs/${program.key}/members/${pmId}`)).status).toBe(409);
    const members = await pm.get(`/api/v1/programs/${program.key}/members`);
    expect(members.body.items).toEqual([expect.objectContaining({ role: 'owner' })]);
  });

  it('transferring ownership with PATCH {ownerId} makes the new person an owner member', async () => {
    const program = await buildProgram(pm);
    const person = await buildPerson(admin);
    const res = await pm.patch(`/api/v1/programs/${program.key}`).send({ ownerId: person.id });
    expect(res.status).toBe(200);
    expect(res.body.owner).toMatchObject({ id: person.id, email: person.email });
    const members = await admin.get(`/api/v1/programs/${program.key}/members`);
    const roles = Object.fromEntries((members.body.items as { user: { id: string }; role: string }[]).map((m) => [m.user.id, m.role]));
    expect(roles[person.id]).toBe('owner');
    const newOwner = await signInAs(t, person);
    expect((await newOwner.get(`/api/v1/programs/${program.key}`)).body).toMatchObject({ myRole: 'owner', ability: { manage: true } });
    // the former owner may now be demoted, the new one may not
    expect((await newOwner.patch(`/api/v1/programs/${program.key}/members/${program.owner.id}`).send({ role: 'editor' })).status).toBe(200);
    expect((await newOwner.patch(`/api/v1/programs/${program.key}/members/${person.id}`).send({ role: 'editor' })).status).toBe(409);
  });

  it('transferring ownership to an existing member promotes them to owner, and their open connections are re-checked at once', async () => {
    const program = await buildProgram(pm);
    const person = await buildPerson(admin);
    await pm.post(`/api/v1/programs/${program.key}/members`).send({ userId: person.id, role: 'viewer' });
    const heard: AccessChange[] = [];
    const listen = (change: AccessChange) => heard.push(change);
    t.app.get(AccessChanges).on('change', listen);
    try {
      expect((await pm.patch(`/api/v1/programs/${program.key}`).send({ ownerId: person.id })).status).toBe(200);
    } finally {
      t.app.get(AccessChanges).off('change', listen);
    }
    // as a role change through /members does: a document they have open read-only becomes writable
    expect(heard).toContainEqual({ userId: person.id, programId: program.id });
    const members = await admin.get(`/api/v1/programs/${program.key}/members`);
    const mine = (members.body.items as { user: { id: string }; role: string }[]).filter((m) => m.user.id === person.id);
    expect(mine).toEqual([expect.objectContaining({ role: 'owner' })]);
  });

  it('transferring ownership to someone unknown or deactivated is 400 on ownerId', async () => {
    const program = await buildProgram(pm);
    const gone = await buildPerson(admin);
    await admin.patch(`/api/v1/users/${gone.id}`).send({ active: false });
    for (const ownerId of [NOT_A_PROGRAM, gone.id]) {
      const res = await pm.patch(`/api/v1/programs/${program.key}`).send({ ownerId });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'ownerId' })]);
    }
  });

  it('an org admin manages a program they are not a member of', async () => {
    const program = await buildProgram(pm);
    const res = await admin.patch(`/api/v1/programs/${program.key}`).send({ description: 'by the admin' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ myRole: null, ability: { read: true, write: true, manage: true } });
  });
});

describe('archiving', () => {
  it('an archived program leaves the default list and appears with ?includeArchived=true', async () => {
    const program = await buildProgram(pm);
    const archived = await pm.post(`/api/v1/programs/${program.key}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ status: 'archived', archivedAt: expect.any(String) });
    expect(await keysSeenBy(pm)).not.toContain(program.key);
    expect(await keysSeenBy(admin)).not.toContain(program.key);
    expect(await keysSeenBy(pm, '&includeArchived=true')).toContain(program.key);
    // still readable directly
    expect((await pm.get(`/api/v1/programs/${program.key}`)).status).toBe(200);
  });

  it('PATCH on an archived program is 409, and works again after restore', async () => {
    const program = await buildProgram(pm);
    await pm.post(`/api/v1/programs/${program.key}/archive`);
    const refused = await pm.patch(`/api/v1/programs/${program.key}`).send({ name: 'While archived' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/archived/);

    const restored = await pm.post(`/api/v1/programs/${program.key}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.archivedAt).toBeNull();
    expect(restored.body.status).not.toBe('archived');
    expect(await keysSeenBy(pm)).toContain(program.key);
    expect((await pm.patch(`/api/v1/programs/${program.key}`).send({ name: 'After restore' })).status).toBe(200);
  });

  it('an archived program is read-only through the api too: plan, rollout, RACI, documents and reports are 409 naming it; members and share links stay manageable', async () => {
    const program = await buildProgram(pm);
    const base = `/api/v1/programs/${program.key}`;
    const milestone = (await pm.post(`${base}/milestones`).send({ title: 'Kick-off', dueDate: '2027-01-15' })).body.id as string;
    const wave = (await pm.post(`${base}/waves`).send({ name: 'Pilot' })).body.id as string;
    const doc = (await pm.post(`${base}/docs`).send({ kind: 'plan', title: 'Rollout plan' })).body.id as string;
    expect([milestone, wave, doc].every(Boolean)).toBe(true);
    expect((await pm.post(`${base}/archive`)).status).toBe(200);

    const refused: [string, Promise<{ status: number; body: { message?: string } }>][] = [
      ['add a milestone', pm.post(`${base}/milestones`).send({ title: 'While archived', dueDate: '2027-02-01' })],
      ['change a milestone', pm.patch(`/api/v1/milestones/${milestone}`).send({ title: 'Renamed while archived' })],
      ['delete a milestone', pm.delete(`/api/v1/milestones/${milestone}`)],
      ['set a baseline', pm.post(`${base}/baselines`).send({ label: 'While archived' })],
      ['add a wave', pm.post(`${base}/waves`).send({ name: 'Wave 2' })],
      ['change a wave', pm.patch(`/api/v1/waves/${wave}`).send({ name: 'Renamed wave' })],
      ['add a checklist item', pm.post(`/api/v1/waves/${wave}/checklist`).send({ title: 'Train the agents' })],
      ['add a RACI activity', pm.post(`${base}/raci/activities`).send({ activity: 'Comms plan' })],
      ['create a document', pm.post(`${base}/docs`).send({ kind: 'retro', title: 'Retro' })],
      ['rename a document', pm.patch(`/api/v1/docs/${doc}`).send({ title: 'Renamed plan' })],
      ['save a version', pm.post(`/api/v1/docs/${doc}/versions`).send({ name: 'v1' })],
      ['archive a document', pm.post(`/api/v1/docs/${doc}/archive`)],
      ['post a status update', pm.post(`${base}/updates`).send({ health: 'on_track', narrative: 'Fine' })],
    ];
    for (const [what, request] of refused) {
      const res = await request;
      expect({ what, status: res.status, message: res.body.message }).toEqual({ what, status: 409, message: `${program.key} is archived: restore the program to change it` });
    }
    // nothing changed
    expect((await pm.get(`/api/v1/milestones/${milestone}`)).body.title).toBe('Kick-off');
    expect((await pm.get(`/api/v1/docs/${doc}`)).body).toMatchObject({ title: 'Rollout plan', archivedAt: null });

    // who may see it, and links to its report, stay manageable; restoring makes it writable again
    const person = await buildPerson(admin);
    expect((await pm.post(`${base}/members`).send({ userId: person.id, role: 'viewer' })).status).toBe(201);
    expect((await pm.delete(`${base}/members/${person.id}`)).status).toBe(204);
    const link = await pm.post(`${base}/share-links`).send({ expiresInDays: 7 });
    expect(link.status).toBe(201);
    expect((await pm.delete(`/api/v1/share-links/${link.body.id}`)).status).toBe(204);
    expect((await pm.post(`${base}/restore`)).status).toBe(200);
    expect((await pm.patch(`/api/v1/milestones/${milestone}`).send({ title: 'After restore' })).status).toBe(200);
    expect((await pm.patch(`/api/v1/docs/${doc}`).send({ title: 'After restore' })).status).toBe(200);
  });

  it('an archived document cannot be renamed or versioned (409 naming it) until it is restored', async () => {
    const program = await buildProgram(pm);
    const doc = (await pm.post(`/api/v1/programs/${program.key}/docs`).send({ kind: 'plan', title: 'Old plan' })).body.id as string;
    expect((await pm.post(`/api/v1/docs/${doc}/archive`)).status).toBe(200);
    for (const res of [await pm.patch(`/api/v1/docs/${doc}`).send({ title: 'New name' }), await pm.post(`/api/v1/docs/${doc}/versions`).send({ name: 'v1' })]) {
      expect(res.status).toBe(409);
      expect(res.body.message).toBe('"Old plan" is archived');
    }
    const restored = await pm.post(`/api/v1/docs/${doc}/restore`);
    expect(restored.status).toBe(200);
    const renamed = await pm.patch(`/api/v1/docs/${doc}`).send({ title: 'New name' });
    expect(renamed.status).toBe(200);
    // each answer carries the document as stored, its updatedAt included
    expect(Date.parse(renamed.body.updatedAt)).toBeGreaterThan(Date.parse(restored.body.updatedAt));
    expect((await pm.get(`/api/v1/docs/${doc}`)).body).toMatchObject({ title: 'New name', updatedAt: renamed.body.updatedAt });
  });

  it('a program cannot be set to archived through PATCH status (400)', async () => {
    const program = await buildProgram(pm);
    const res = await pm.patch(`/api/v1/programs/${program.key}`).send({ status: 'archived' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
  });
});

describe('listing and lookup', () => {
  it('?limit=2 returns 2 items and a nextCursor', async () => {
    const res = await admin.get('/api/v1/programs?limit=2');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.nextCursor).toEqual(expect.any(String));
  });

  it('following the cursors visits every program exactly once, in key order', async () => {
    const everything = await keysSeenBy(admin, '&includeArchived=true');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await admin.get(`/api/v1/programs?limit=2&includeArchived=true${query}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...(res.body.items as ProgramBody[]).map((p) => p.key));
      cursor = res.body.nextCursor as string | null;
      pages += 1;
    } while (cursor && pages < 100);
    expect(cursor).toBeNull();
    expect(seen).toEqual(everything);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('pages for a member only contain what they may read', async () => {
    const seen: string[] = [];
    let res = await partner.get('/api/v1/programs?limit=1');
    seen.push(...(res.body.items as ProgramBody[]).map((p) => p.key));
    while (res.body.nextCursor) {
      res = await partner.get(`/api/v1/programs?limit=1&cursor=${res.body.nextCursor}`);
      seen.push(...(res.body.items as ProgramBody[]).map((p) => p.key));
    }
    expect(seen).toEqual(['QA']);
  });

  it('members are paginated too, each exactly once', async () => {
    const all = (await admin.get('/api/v1/programs/QA/members?limit=200')).body.items as { user: { id: string } }[];
    const seen: string[] = [];
    let res = await admin.get('/api/v1/programs/QA/members?limit=1');
    seen.push(...(res.body.items as { user: { id: string } }[]).map((m) => m.user.id));
    while (res.body.nextCursor) {
      res = await admin.get(`/api/v1/programs/QA/members?limit=1&cursor=${res.body.nextCursor}`);
      seen.push(...(res.body.items as { user: { id: string } }[]).map((m) => m.user.id));
    }
    expect(seen).toEqual(all.map((m) => m.user.id));
  });

  it('a garbage cursor is 400 naming cursor', async () => {
    for (const cursor of ['garbage', '!!!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      const res = await admin.get(`/api/v1/programs?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    }
  });

  it('finds a program by id and by key, whatever the case of the key', async () => {
    const byId = await partner.get(`/api/v1/programs/${qa.id}`);
    const byKey = await partner.get('/api/v1/programs/QA');
    const byLowerKey = await partner.get('/api/v1/programs/qa');
    const byUpperId = await partner.get(`/api/v1/programs/${qa.id.toUpperCase()}`);
    for (const res of [byId, byKey, byLowerKey, byUpperId]) {
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(qa.id);
      expect(res.body.key).toBe('QA');
    }
  });

  it('a program that does not exist is 404 by key and by id', async () => {
    expect((await admin.get('/api/v1/programs/NOPE')).status).toBe(404);
    expect((await admin.get(`/api/v1/programs/${NOT_A_PROGRAM}`)).status).toBe(404);
  });
});
