import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/bootstrap';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, buildProgram, type Agent, type Person, type ProgramBody } from './helpers';

/**
 * Bad input to every route that takes a body or a query: each is a 400 that names the field,
 * and nothing a client sends can make the server answer 5xx.
 * Real: PostgreSQL (a database of this file's own), the whole Nest app with migrations and the demo
 * seed, the JSON body parser and its 1 MB limit, the zod schemas from libs/domain, HTTP through
 * Supertest. The login throttle is real but given limits high enough never to trip here.
 * Everything but sign-in is sent as an org admin, who may do anything, so a 4xx is about the input
 * alone; sign-in attempts go without the admin's cookie, because a sign-in ends the session the
 * browser had.
 */

let t: TestApp;
let admin: Agent;
let person: Person;
let member: Person;
let program: ProgramBody;

const NIL_LIKE = '00000000-0000-4000-8000-000000000000';

interface Route {
  name: string;
  method: 'post' | 'patch';
  path: () => string;
  /** sent without the admin's cookie: a sign-in attempt ends the session the browser had */
  anonymous?: boolean;
}

const ROUTES: Record<string, Route> = {
  login: { name: 'POST /auth/login', method: 'post', path: () => '/api/v1/auth/login', anonymous: true },
  createUser: { name: 'POST /users', method: 'post', path: () => '/api/v1/users' },
  updateUser: { name: 'PATCH /users/:id', method: 'patch', path: () => `/api/v1/users/${person.id}` },
  createProgram: { name: 'POST /programs', method: 'post', path: () => '/api/v1/programs' },
  updateProgram: { name: 'PATCH /programs/:program', method: 'patch', path: () => `/api/v1/programs/${program.key}` },
  addMember: { name: 'POST /programs/:program/members', method: 'post', path: () => `/api/v1/programs/${program.key}/members` },
  changeMember: { name: 'PATCH /programs/:program/members/:userId', method: 'patch', path: () => `/api/v1/programs/${program.key}/members/${member.id}` },
};

const long = (n: number) => 'x'.repeat(n);
const longEmail = (n: number) => `${'a'.repeat(n - '@example.com'.length)}@example.com`;

/** [route, body, the fields the 400 must name (exactly)] */
const BAD_BODIES: [keyof typeof ROUTES, unknown, string[]][] = [
  // sign-in
  ['login', {}, ['email', 'password']],
  ['login', { email: 'pm@demo.tandem' }, ['password']],
  ['login', { email: 42, password: 'demo-password' }, ['email']],
  ['login', { email: 'pm@demo.tandem', password: ['demo-password'] }, ['password']],
  ['login', { email: 'pm@demo.tandem', password: '' }, ['password']],
  ['login', { email: longEmail(300), password: 'demo-password' }, ['email']],
  ['login', { email: 'pm@demo.tandem', password: long(300) }, ['password']],
  ['login', { email: 'pm@demo.tandem', password: 'demo-password', remember: true }, ['remember']],
  // people
  ['createUser', {}, ['email', 'name', 'password']],
  ['createUser', { email: 'not-an-email', name: 'A', password: 'long-enough-1' }, ['email']],
  ['createUser', { email: longEmail(300), name: 'A', password: 'long-enough-1' }, ['email']],
  ['createUser', { email: 'a@example.test', name: long(10_000), password: 'long-enough-1' }, ['name']],
  ['createUser', { email: 'a@example.test', name: '   ', password: 'long-enough-1' }, ['name']],
  ['createUser', { email: 'a@example.test', name: 42, password: 'long-enough-1' }, ['name']],
  ['createUser', { email: 'a@example.test', name: 'A', password: 'short' }, ['password']],
  ['createUser', { email: 'a@example.test', name: 'A', password: long(300) }, ['password']],
  ['createUser', { email: 'a@example.test', name: 'A', password: 'long-enough-1', orgRole: 'owner' }, ['orgRole']],
  ['createUser', { email: 'a@example.test', name: 'A', password: 'long-enough-1', passwordHash: 'x' }, ['passwordHash']],
  ['updateUser', { name: '' }, ['name']],
  ['updateUser', { name: long(10_000) }, ['name']],
  ['updateUser', { orgRole: 'superuser' }, ['orgRole']],
  ['updateUser', { active: 'false' }, ['active']],
  ['updateUser', { email: 'new@example.test' }, ['email']],
  // programs
  ['createProgram', {}, ['key', 'name']],
  ['createProgram', { key: 'qa', name: 'Lower-case key' }, ['key']],
  ['createProgram', { key: 'Q', name: 'Too short' }, ['key']],
  ['createProgram', { key: 'ABCDEFGHIJK', name: 'Too long' }, ['key']],
  ['createProgram', { key: 'AB', name: long(10_000) }, ['name']],
  ['createProgram', { key: 'AB', name: 'x', description: long(10_001) }, ['description']],
  ['createProgram', { key: 'AB', name: 'x', description: 42 }, ['description']],
  ['createProgram', { key: 'AB', name: 'x', startDate: '2026-13-01' }, ['startDate']],
  ['createProgram', { key: 'AB', name: 'x', startDate: '2026-02-30' }, ['startDate']],
  ['createProgram', { key: 'AB', name: 'x', startDate: 'tomorrow' }, ['startDate']],
  ['createProgram', { key: 'AB', name: 'x', targetDate: '01/02/2027' }, ['targetDate']],
  ['createProgram', { key: 'AB', name: 'x', targetDate: '2027-01-01T00:00:00Z' }, ['targetDate']],
  ['createProgram', { key: 'AB', name: 'x', startDate: '2027-05-01', targetDate: '2027-04-30' }, ['targetDate']],
  ['createProgram', { key: 'AB', name: 'x', teamId: 'quality' }, ['teamId']],
  ['createProgram', { key: 'AB', name: 'x', teamId: NIL_LIKE }, ['teamId']],
  ['createProgram', { key: 'AB', name: 'x', status: 'archived' }, ['status']],
  ['createProgram', { key: 'AB', name: 'x', ownerId: NIL_LIKE }, ['ownerId']],
  ['updateProgram', { name: '' }, ['name']],
  ['updateProgram', { name: long(10_000) }, ['name']],
  ['updateProgram', { key: 'NEWKEY' }, ['key']],
  ['updateProgram', { startDate: '2027-05-01', targetDate: '2027-04-30' }, ['targetDate']],
  ['updateProgram', { targetDate: '2000-01-01' }, ['targetDate']],
  ['updateProgram', { startDate: '2999-01-01' }, ['startDate']],
  ['updateProgram', { ownerId: 'me' }, ['ownerId']],
  ['updateProgram', { ownerId: NIL_LIKE }, ['ownerId']],
  ['updateProgram', { teamId: NIL_LIKE }, ['teamId']],
  ['updateProgram', { status: 'archived' }, ['status']],
  ['updateProgram', { status: 'done' }, ['status']],
  // members
  ['addMember', {}, ['role', 'userId']],
  ['addMember', { userId: 'pm@demo.tandem', role: 'viewer' }, ['userId']],
  ['addMember', { userId: NIL_LIKE, role: 'viewer' }, ['userId']],
  ['addMember', { userId: NIL_LIKE, role: 'admin' }, ['role']],
  ['addMember', { userId: NIL_LIKE, role: 'viewer', note: 'hi' }, ['note']],
  ['changeMember', {}, ['role']],
  ['changeMember', { role: 'boss' }, ['role']],
  ['changeMember', { role: null }, ['role']],
  ['changeMember', { role: 'viewer', userId: NIL_LIKE }, ['userId']],
];

/** [path, the fields the 400 must name] */
const BAD_QUERIES: [string, string[]][] = [
  ['/api/v1/programs?limit=0', ['limit']],
  ['/api/v1/programs?limit=-1', ['limit']],
  ['/api/v1/programs?limit=201', ['limit']],
  ['/api/v1/programs?limit=1.5', ['limit']],
  ['/api/v1/programs?limit=ten', ['limit']],
  ['/api/v1/programs?limit=1&limit=2', ['limit']],
  ['/api/v1/programs?includeArchived=yes', ['includeArchived']],
  ['/api/v1/programs?sort=name', ['sort']],
  [`/api/v1/programs?cursor=${long(201)}`, ['cursor']],
  ['/api/v1/programs?cursor=not-a-cursor', ['cursor']],
  ['/api/v1/users?limit=0', ['limit']],
  ['/api/v1/users?includeInactive=maybe', ['includeInactive']],
  ['/api/v1/users?role=admin', ['role']],
  ['/api/v1/users?cursor=%7B%7D', ['cursor']],
  ['/api/v1/programs/QA/members?limit=1000', ['limit']],
  ['/api/v1/programs/QA/members?includeArchived=true', ['includeArchived']],
  ['/api/v1/programs/QA/members?cursor=zzz', ['cursor']],
];

const client = (route: Route) => (route.anonymous ? t.http() : admin);

function send(route: Route, body: unknown) {
  return client(route)[route.method](route.path()).send(body as object);
}

function sendRaw(route: Route, raw: string, contentType = 'application/json') {
  return client(route)[route.method](route.path()).set('Content-Type', contentType).send(raw);
}

/** Forges a cursor the way the api encodes one (base64url of a JSON array). */
const cursorOf = (values: readonly (string | number)[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

const fieldsOf = (body: { errors?: { field: string }[] }) => [...new Set((body.errors ?? []).map((e) => e.field))].sort();

beforeAll(async () => {
  t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '100000', LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' });
  admin = await t.signIn('admin@demo.tandem');
  person = await buildPerson(admin);
  member = await buildPerson(admin);
  program = await buildProgram(admin, { startDate: '2030-01-01', targetDate: '2030-12-31' });
  const added = await admin.post(`/api/v1/programs/${program.key}/members`).send({ userId: member.id, role: 'viewer' });
  expect([200, 201]).toContain(added.status);
});

afterAll(async () => {
  await t?.close();
});

describe('bad bodies are 400s naming each bad field', () => {
  it.each(BAD_BODIES.map(([route, body, fields]) => [ROUTES[route]!.name, JSON.stringify(body).slice(0, 80), route, body, fields] as const))(
    '%s %s',
    async (_name, _shown, route, body, fields) => {
      const res = await send(ROUTES[route]!, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, message: 'Invalid request' });
      expect(res.body.errors.every((e: { field: unknown; reason: unknown }) => typeof e.field === 'string' && typeof e.reason === 'string' && e.reason.length > 0)).toBe(true);
      expect(fieldsOf(res.body)).toEqual([...fields].sort());
    },
  );

  it('names unknown fields with the reason "unknown field"', async () => {
    const res = await send(ROUTES.createProgram!, { key: 'AB', name: 'x', colour: 'blue' });
    expect(res.body.errors).toEqual([{ field: 'colour', reason: 'unknown field' }]);
  });

  it('says why a target date before the start date is refused', async () => {
    const res = await send(ROUTES.createProgram!, { key: 'AB', name: 'x', startDate: '2027-05-01', targetDate: '2027-04-30' });
    expect(res.body.errors).toEqual([{ field: 'targetDate', reason: 'must not be before startDate' }]);
  });

  it('left the program and the people untouched', async () => {
    const p = await admin.get(`/api/v1/programs/${program.key}`);
    expect(p.body).toMatchObject({ key: program.key, name: program.name, startDate: '2030-01-01', targetDate: '2030-12-31', status: 'planning' });
    const u = await admin.get(`/api/v1/users/${person.id}`);
    expect(u.body).toMatchObject({ name: person.name, orgRole: 'member', active: true });
    const users = await admin.get('/api/v1/users?limit=200&includeInactive=true');
    expect((users.body.items as { email: string }[]).map((x) => x.email)).not.toContain('a@example.test');
  });
});

describe('bad queries are 400s naming the parameter', () => {
  it.each(BAD_QUERIES)('GET %s', async (path, fields) => {
    const res = await admin.get(path);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(fields);
  });
});

/**
 * A cursor is opaque, but a client can forge one: base64url of a JSON array of the right length.
 * It must still be a 400 on `cursor` (or an empty page), never a database error.
 */
describe('forged cursors are refused on cursor, never a 5xx', () => {
  it.each([
    ['/api/v1/users', ['Ada', 'not-a-uuid']],
    ['/api/v1/programs/QA/members', ['Ada', 'not-a-uuid']],
    ['/api/v1/users', ['a\u0000', '00000000-0000-4000-8000-000000000000']],
    ['/api/v1/programs/QA/members', ['a\u0000', '00000000-0000-4000-8000-000000000000']],
    ['/api/v1/programs', ['\u0000']],
  ] as const)('GET %s with a cursor of %j', async (path, values) => {
    const res = await admin.get(`${path}?cursor=${cursorOf(values)}`);
    expect(res.status).toBeLessThan(500);
    if (res.status === 400) expect(fieldsOf(res.body)).toEqual(['cursor']);
  });
});

describe('the body as a whole', () => {
  it.each(Object.values(ROUTES).map((r) => [r.name, r] as const))('malformed JSON to %s is 400', async (_name, route) => {
    const res = await sendRaw(route, '{"name": "x",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'Invalid request', errors: [{ field: '', reason: 'body is not valid JSON' }] });
  });

  it.each(Object.values(ROUTES).map((r) => [r.name, r] as const))('a body over 1 MB to %s is 413', async (_name, route) => {
    const res = await sendRaw(route, JSON.stringify({ name: long(1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, message: expect.any(String) });
  });

  it('a body just under 1 MB is parsed (and refused for its content, not its size)', async () => {
    const res = await send(ROUTES.updateProgram!, { description: long(1000 * 1000) });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['description']);
  });

  it('a body that is not JSON is a 415 naming what was sent, not a 400 about missing fields', async () => {
    const res = await sendRaw(ROUTES.login!, 'email=pm@demo.tandem&password=demo-password', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: 'Send the body as JSON with Content-Type: application/json (this request sent application/x-www-form-urlencoded)',
    });
  });

  it('a JSON body sent without a Content-Type is a 415 saying so', async () => {
    const res = await admin.post('/api/v1/programs').unset('Content-Type').send(Buffer.from('{"key":"NOTYPE","name":"x"}'));
    expect(res.status).toBe(415);
    expect(res.body.message).toMatch(/this request sent no Content-Type/);
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON'])('a JSON body sent as %s is read', async (type) => {
    const res = await sendRaw(ROUTES.updateProgram!, JSON.stringify({ description: `sent as ${type}` }), type);
    expect(res.status).toBe(200);
    expect(res.body.description).toBe(`sent as ${type}`);
  });

  it('a write whose body is optional may still be sent without one', async () => {
    const res = await admin.patch(`/api/v1/programs/${program.key}`).set('Content-Type', 'text/plain');
    expect(res.status).toBe(200);
  });

  it('a JSON body in an unsupported charset is 415', async () => {
    const res = await sendRaw(ROUTES.login!, '{}', 'application/json; charset=klingon');
    expect(res.status).toBe(415);
  });

  it('an array body is refused as a whole (400)', async () => {
    const res = await send(ROUTES.createProgram!, [{ key: 'AB', name: 'x' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: '' })]);
  });
});

describe('ids in the path', () => {
  // each with a body that would be valid, so that only the id is wrong
  it.each([
    ['get', '/api/v1/users/not-a-uuid', undefined],
    ['get', '/api/v1/users/1', undefined],
    ['get', "/api/v1/users/1' or '1'='1", undefined],
    ['get', '/api/v1/users/00000000-0000-4000-8000-00000000000', undefined],
    ['patch', '/api/v1/users/not-a-uuid', { name: 'x' }],
    ['patch', '/api/v1/programs/QA/members/not-a-uuid', { role: 'viewer' }],
    ['delete', '/api/v1/programs/QA/members/not-a-uuid', undefined],
  ] as const)('%s %s → 404', async (method, path, body) => {
    const res = await admin[method](path).send(body);
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/not found/);
  });

  it.each(['%00', '%00QA', 'Q%00A', '%27%3B%20drop%20table%20program%3B--', '%E2%82', '..%2F..%2Fetc', 'x'.repeat(5000)])(
    'GET /api/v1/programs/%s is a 4xx, never 5xx',
    async (program) => {
      const res = await admin.get(`/api/v1/programs/${program}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    },
  );
});

/**
 * PostgreSQL text cannot hold a NUL character and its dates start at year 1, while JSON strings and
 * the shared ISO-date schema allow both. Each must come back as a 400 naming the field.
 */
describe('values PostgreSQL cannot store are refused as input, not a 500', () => {
  const NUL = 'a\u0000b';
  const cases: [keyof typeof ROUTES, () => Record<string, unknown>, string][] = [
    ['createUser', () => ({ email: `nul.${Date.now()}@example.test`, name: NUL, password: 'long-enough-1' }), 'name'],
    ['updateUser', () => ({ name: NUL }), 'name'],
    ['createProgram', () => ({ key: 'NULNAME', name: NUL }), 'name'],
    ['createProgram', () => ({ key: 'NULDESC', name: 'x', description: NUL }), 'description'],
    ['updateProgram', () => ({ name: NUL }), 'name'],
    ['updateProgram', () => ({ description: NUL }), 'description'],
    ['createProgram', () => ({ key: 'YEARZERO', name: 'x', startDate: '0000-01-01' }), 'startDate'],
    ['updateProgram', () => ({ startDate: '0000-06-01' }), 'startDate'],
  ];

  it.each(cases.map(([route, body, field]) => [ROUTES[route]!.name, field, route, body] as const))('%s with a bad %s', async (_name, field, route, body) => {
    const res = await send(ROUTES[route]!, body());
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual([field]);
  });

  it.each([
    ['POST /programs', () => send(ROUTES.createProgram!, { key: 'SURROGATE', name: 'x', description: 'half \ud800 a pair' })],
    ['PATCH /programs/:program', () => send(ROUTES.updateProgram!, { description: 'half \ud800 a pair' })],
    ['PATCH /users/:id', () => send(ROUTES.updateUser!, { name: 'half \udc00 a pair' })],
  ] as const)('%s with a lone UTF-16 surrogate is refused or stored, never a 500', async (_name, request) => {
    expect((await request()).status).toBeLessThan(500);
  });

  it('a NUL in the sign-in email is a 4xx (refused like any other bad credentials), not a 500', async () => {
    const res = await t.http().post('/api/v1/auth/login').send({ email: 'pm\u0000@demo.tandem', password: 'demo-password' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

/** Odd bodies, sent raw so that even non-object JSON and duplicate keys reach the server as written. */
const ODD_BODIES: string[] = [
  'null',
  '0',
  '-1',
  '1e309',
  'true',
  '"a string"',
  '[]',
  '[{}]',
  '[1,2,3]',
  '[null]',
  '{}',
  '   ',
  '{"__proto__":{"orgRole":"admin","isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"prototype":{}}',
  '{"name":{"__proto__":{"x":1}}}',
  '{"toString":"x","valueOf":1,"hasOwnProperty":null}',
  '{"email":{"$ne":null},"password":{"$gt":""}}',
  '{"email":["pm@demo.tandem"],"password":["demo-password"]}',
  '{"email":"pm@demo.tandem","email":"admin@demo.tandem","password":"x"}',
  '{"name":null,"key":null,"role":null,"userId":null}',
  '{"name":true,"key":false,"active":"true"}',
  '{"name":1e400,"active":1}',
  '{"name":-0,"description":NaN}',
  '{"name":"x","key":"AB","startDate":null,"targetDate":null,"teamId":null}',
  `{"name":"${'😀'.repeat(200)}","key":"ÄÖÜ"}`,
  '{"name":"\\u202e\\u0301\\ufeff","description":"\\ud800"}',
  '{"name":"a\\u0000b","description":"\\u0000"}',
  '{"email":"pm\\u0000@demo.tandem","password":"demo-password"}',
  '{"email":"pm@demo.tandem","password":"\\u0000"}',
  '{"email":"\\u0000","password":"\\u0000","name":"\\u0000","key":"\\u0000","role":"\\u0000","userId":"\\u0000"}',
  `{"email":"${'a'.repeat(5000)}@x.io","password":"${'p'.repeat(5000)}","name":"${'n'.repeat(5000)}"}`,
  `{"description":"${'d'.repeat(200_000)}"}`,
  `{"a":${'['.repeat(2000)}${']'.repeat(2000)}}`,
  `${'{"a":'.repeat(500)}1${'}'.repeat(500)}`,
  '{"startDate":"0000-01-01"}',
  '{"startDate":"9999-12-31","targetDate":"9999-12-31"}',
  '{"startDate":"-001-01-01"}',
  '{"startDate":"2028-02-29","targetDate":"2029-02-29"}',
  '{"startDate":"2026-01-01","targetDate":"2025-12-31"}',
  '{"targetDate":"1970-01-01"}',
  '{"ownerId":"ffffffff-ffff-ffff-ffff-ffffffffffff"}',
  '{"ownerId":"00000000-0000-0000-0000-000000000000"}',
  '{"teamId":"00000000-0000-0000-0000-000000000000"}',
  '{"userId":"00000000-0000-0000-0000-000000000000","role":"viewer"}',
  '{"userId":"FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF","role":"owner"}',
  '{"role":"owner"}',
  '{"orgRole":"admin"}',
  '{"active":null}',
  '{"limit":1,"cursor":"x"}',
];

describe('never a 5xx', () => {
  it(`${ODD_BODIES.length} odd bodies to every route with a body`, async () => {
    const failures: string[] = [];
    const statuses = new Set<number>();
    for (const route of Object.values(ROUTES)) {
      for (const raw of ODD_BODIES) {
        const res = await sendRaw(route, raw);
        statuses.add(res.status);
        if (res.status >= 500) failures.push(`${route.name} ${raw.slice(0, 80)} → ${res.status}`);
      }
    }
    // the odd bodies reached the handlers as a signed-in admin, not a wall of 401s
    expect(statuses.has(401) && statuses.size === 1).toBe(false);
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
    expect(failures).toEqual([]);
  });

  it('did not pollute any prototype', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).orgRole).toBeUndefined();
  });

  it('odd query strings to every list', async () => {
    const queries = [
      'limit=',
      'limit=%00',
      'limit=1e3',
      'limit=0x10',
      'limit=Infinity',
      'cursor=',
      'cursor=%00',
      `cursor=${cursorOf(['\u0000'])}`,
      `cursor=${cursorOf(['\u0000', '\u0000'])}`,
      `cursor=${cursorOf(['Ada', 'not-a-uuid'])}`,
      `cursor=${Buffer.from('[1e400]').toString('base64url')}`,
      `cursor=${Buffer.from('[-1, -1]').toString('base64url')}`,
      '__proto__=1',
      'constructor=1',
      'includeArchived=true&includeArchived=false',
      'limit[]=1',
      'a[b][c]=1',
    ];
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
    const failures: string[] = [];
    for (const path of ['/api/v1/programs', '/api/v1/users', '/api/v1/programs/QA/members']) {
      for (const q of queries) {
        const res = await admin.get(`${path}?${q}`);
        if (res.status >= 500) failures.push(`GET ${path}?${q} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
  it('every list refuses a query parameter it does not know: 400 naming it', async () => {
    // Every GET of the OpenAPI document that answers a page, with the demo's QA program in its path.
    const doc = openApiDocument(t.app);
    const lists = Object.entries(doc.paths)
      .filter(([, item]) => JSON.stringify(item.get?.responses?.['200'] ?? {}).includes('nextCursor'))
      .map(([path]) => path)
      .filter((path) => !/\{(?!program\})/.test(path))
      .map((path) => path.replace('{program}', 'QA'));
    expect(lists).toEqual(expect.arrayContaining(['/api/v1/teams', '/api/v1/templates', '/api/v1/tokens', '/api/v1/programs', '/api/v1/programs/QA/milestones']));
    const answers = await Promise.all(lists.map(async (path) => [path, await admin.get(`${path}?colour=blue`)] as const));
    const wrong = answers.filter(([, res]) => res.status !== 400 || !JSON.stringify(res.body.errors).includes('"field":"colour"'));
    expect(wrong.map(([path, res]) => `${path} → ${res.status}`)).toEqual([]);
  });

  it('every route that takes a JSON body refuses a JSON body sent as text/plain: 415 saying so', async () => {
    // Every operation of the OpenAPI document with a JSON request body (the CSV imports take
    // text/csv), with the demo's QA program and a made-up id in its path: the 415 comes before any
    // lookup, so nothing is found, changed or created.
    const doc = openApiDocument(t.app);
    const writes = Object.entries(doc.paths).flatMap(([path, item]) =>
      (['post', 'put', 'patch', 'delete'] as const)
        .filter((method) => item[method]?.requestBody && 'content' in item[method].requestBody && 'application/json' in item[method].requestBody.content)
        .map((method) => [method, path.replace('{program}', 'QA').replace(/\{[^}]+\}/g, NIL_LIKE)] as const),
    );
    expect(writes.length).toBeGreaterThan(20);
    expect(writes).toEqual(expect.arrayContaining([['post', '/api/v1/programs'], ['post', '/api/v1/auth/login']]));
    const answers = await Promise.all(
      writes.map(async ([method, path]) => [method, path, await admin[method](path).set('Content-Type', 'text/plain').send('{"name":"x"}')] as const),
    );
    const wrong = answers.filter(([, , res]) => res.status !== 415 || res.body.message !== 'Send the body as JSON with Content-Type: application/json (this request sent text/plain)');
    expect(wrong.map(([method, path, res]) => `${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`)).toEqual([]);
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
  });
});
