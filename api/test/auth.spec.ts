import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionsService } from '../src/auth/sessions.service';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, cookieHeader, DEMO_PASSWORD, personInput, sessionCookie, signInAs, type Agent } from './helpers';

/**
 * Sign-in, sessions, the login throttle and people management.
 * Real: PostgreSQL (a database of this file's own), the whole Nest app with migrations and the demo
 * seed, argon2, the session cookie and HTTP through Supertest. The throttle is the app's own
 * in-memory one, with small limits passed through the environment. TRUST_PROXY=1 so that each test
 * can come from its own address (X-Forwarded-For) and the Secure flag can be checked behind https.
 * Nothing is mocked.
 */

const ACCOUNT_LIMIT = 3;
const ADDRESS_LIMIT = 5;
const BAD_CREDENTIALS = { statusCode: 401, error: 'Unauthorized', message: 'Email or password is incorrect' };

let t: TestApp;
let admin: Agent;

let addressCounter = 0;
/** A fresh client address, so failures in one test never count against another. */
const freshAddress = (): string => `10.1.${Math.floor(++addressCounter / 250)}.${(addressCounter % 250) + 1}`;

/** POST /auth/login from a given (or fresh) address, optionally replaying a session cookie. */
function login(body: unknown, options: { from?: string; cookie?: string; proto?: string } = {}) {
  let req = t
    .http()
    .post('/api/v1/auth/login')
    .set('X-Forwarded-For', options.from ?? freshAddress());
  if (options.cookie) req = req.set('Cookie', cookieHeader(options.cookie));
  if (options.proto) req = req.set('X-Forwarded-Proto', options.proto);
  return req.send(body as object);
}

const me = (token: string) => t.http().get('/api/v1/auth/me').set('Cookie', cookieHeader(token));

/** Signs in and returns the raw session token from Set-Cookie. */
async function tokenFor(email: string, password = DEMO_PASSWORD, cookie?: string): Promise<string> {
  const res = await login({ email, password }, { cookie });
  expect(res.status).toBe(200);
  const cookieSet = sessionCookie(res);
  expect(cookieSet?.value).toBeTruthy();
  return cookieSet!.value;
}

beforeAll(async () => {
  t = await startTestApp({
    TRUST_PROXY: '1',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: String(ACCOUNT_LIMIT),
    LOGIN_MAX_FAILURES_PER_ADDRESS: String(ADDRESS_LIMIT),
  });
  admin = await t.signIn('admin@demo.tandem');
});

afterAll(async () => {
  await t?.close();
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/ and not Secure over plain http', async () => {
    const res = await login({ email: 'pm@demo.tandem', password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    const cookie = sessionCookie(res);
    expect(cookie).toBeDefined();
    expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie!.attributes).toHaveProperty('httponly');
    expect(cookie!.attributes.samesite?.toLowerCase()).toBe('lax');
    expect(cookie!.attributes.path).toBe('/');
    expect(cookie!.attributes).not.toHaveProperty('secure');
  });

  it('expires in the future (a persistent cookie matching the session lifetime)', async () => {
    const res = await login({ email: 'pm@demo.tandem', password: DEMO_PASSWORD });
    const expires = Date.parse(sessionCookie(res)!.attributes.expires ?? '');
    expect(expires).toBeGreaterThan(Date.now() + 60 * 60 * 1000);
  });

  it('is Secure behind a trusted proxy that says the request came over https', async () => {
    const res = await login({ email: 'pm@demo.tandem', password: DEMO_PASSWORD }, { proto: 'https' });
    expect(res.status).toBe(200);
    const cookie = sessionCookie(res)!;
    expect(cookie.attributes).toHaveProperty('secure');
    expect(cookie.attributes).toHaveProperty('httponly');
    expect(cookie.attributes.samesite?.toLowerCase()).toBe('lax');
  });
});

describe('sign-in and sign-out', () => {
  it('returns the person on sign-in and on /auth/me', async () => {
    const res = await login({ email: 'pm@demo.tandem', password: DEMO_PASSWORD });
    expect(res.body).toEqual({ user: { id: expect.any(String), email: 'pm@demo.tandem', name: 'Priya Manager', orgRole: 'member' } });
    const token = sessionCookie(res)!.value;
    const who = await me(token);
    expect(who.status).toBe(200);
    expect(who.body).toEqual(res.body.user);
  });

  it('answers /auth/me without a session with 401', async () => {
    const res = await t.http().get('/api/v1/auth/me');
    expect(res.status).toBe(401);
  });

  it('logout answers 204, clears the cookie, and the old token is refused afterwards', async () => {
    const token = await tokenFor('pm@demo.tandem');
    expect((await me(token)).status).toBe(200);

    const out = await t.http().post('/api/v1/auth/logout').set('Cookie', cookieHeader(token));
    expect(out.status).toBe(204);
    const cleared = sessionCookie(out);
    expect(cleared?.value).toBe('');
    expect(Date.parse(cleared!.attributes.expires ?? '')).toBeLessThanOrEqual(Date.now());

    const replay = await me(token);
    expect(replay.status).toBe(401);
  });

  it('logout without a session is still 204', async () => {
    expect((await t.http().post('/api/v1/auth/logout')).status).toBe(204);
  });

  it('signing in again rotates the token: the previous one stops working', async () => {
    const first = await tokenFor('pm@demo.tandem');
    const second = await tokenFor('pm@demo.tandem', DEMO_PASSWORD, first);
    expect(second).not.toBe(first);
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(200);
  });

  it('deletes sessions past their expiry in the background sweep, and no other', async () => {
    await tokenFor('qa.lead@demo.tandem');
    const kept = await tokenFor('partner@demo.tandem');
    const conn = t.orm.em.getConnection();
    const sessionsOf = async (email: string) =>
      Number((await conn.execute<{ n: string }[]>(`select count(*) as n from session s join "user" u on u.id = s.user_id where u.email = ?`, [email]))[0]?.n);
    await conn.execute(`update session set expires_at = now() - interval '1 minute' where user_id = (select id from "user" where email = 'qa.lead@demo.tandem')`);
    expect(await sessionsOf('qa.lead@demo.tandem')).toBeGreaterThan(0);

    expect(await t.app.get(SessionsService).sweepExpired()).toBeGreaterThan(0);
    expect(await sessionsOf('qa.lead@demo.tandem')).toBe(0);
    expect(await sessionsOf('partner@demo.tandem')).toBeGreaterThan(0);
    expect((await me(kept)).status).toBe(200);
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const unknown = await login({ email: 'nobody@demo.tandem', password: DEMO_PASSWORD });
    const wrong = await login({ email: 'leader@demo.tandem', password: 'not-the-password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(BAD_CREDENTIALS);
    expect(wrong.text).toBe(unknown.text);
    expect(sessionCookie(unknown)).toBeUndefined();
    expect(sessionCookie(wrong)).toBeUndefined();
  });

  it('treats emails case-insensitively (and ignores surrounding spaces)', async () => {
    const res = await login({ email: '  PM@Demo.TANDEM ', password: DEMO_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe('pm@demo.tandem');
  });

  it('stores no raw token in the session table', async () => {
    const token = await tokenFor('qa.lead@demo.tandem');
    const rows: Record<string, unknown>[] = await t.orm.em.getConnection().execute('select id from session');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id)).not.toContain(token);
    const everything: Record<string, unknown>[] = await t.orm.em.getConnection().execute('select * from session');
    expect(JSON.stringify(everything)).not.toContain(token);
  });
});

describe('the login throttle', () => {
  it(`locks an account after ${ACCOUNT_LIMIT} failures (429 + Retry-After), even with the right password`, async () => {
    const person = await buildPerson(admin);
    const attacker = freshAddress();
    for (let i = 0; i < ACCOUNT_LIMIT; i++) {
      const res = await login({ email: person.email, password: `wrong-${i}` }, { from: attacker });
      expect(res.status).toBe(401);
    }
    const res = await login({ email: person.email, password: person.password }, { from: freshAddress() });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(res.body.message).toMatch(/too many/i);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('keeps counting the same account whatever the case of the email', async () => {
    const person = await buildPerson(admin);
    for (let i = 0; i < ACCOUNT_LIMIT; i++) {
      await login({ email: i % 2 ? person.email.toUpperCase() : person.email, password: 'wrong-password' });
    }
    expect((await login({ email: person.email.toUpperCase(), password: person.password })).status).toBe(429);
  });

  it('does not lock another account signing in from another address', async () => {
    const victim = await buildPerson(admin);
    const bystander = await buildPerson(admin);
    const attacker = freshAddress();
    for (let i = 0; i < ACCOUNT_LIMIT; i++) await login({ email: victim.email, password: 'wrong-password' }, { from: attacker });
    expect((await login({ email: victim.email, password: victim.password })).status).toBe(429);
    const res = await login({ email: bystander.email, password: bystander.password }, { from: freshAddress() });
    expect(res.status).toBe(200);
  });

  it(`locks an address that fails on ${ADDRESS_LIMIT} different accounts`, async () => {
    const person = await buildPerson(admin);
    const sprayer = freshAddress();
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      const res = await login({ email: `spray-${i}@example.test`, password: 'guess-guess' }, { from: sprayer });
      expect(res.status).toBe(401);
    }
    const locked = await login({ email: person.email, password: person.password }, { from: sprayer });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // the same account from elsewhere is fine: only the address is locked
    expect((await login({ email: person.email, password: person.password })).status).toBe(200);
  });
});

describe('deactivated people', () => {
  it('cannot sign in and get the same 401 as a wrong password', async () => {
    const person = await buildPerson(admin);
    expect((await admin.patch(`/api/v1/users/${person.id}`).send({ active: false })).status).toBe(200);
    const res = await login({ email: person.email, password: person.password });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(BAD_CREDENTIALS);
  });

  it('lose their existing session at once', async () => {
    const person = await buildPerson(admin);
    const agent = await signInAs(t, person);
    expect((await agent.get('/api/v1/auth/me')).status).toBe(200);
    const res = await admin.patch(`/api/v1/users/${person.id}`).send({ active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect(res.body.deactivatedAt).toEqual(expect.any(String));
    expect((await agent.get('/api/v1/auth/me')).status).toBe(401);
    expect((await agent.get('/api/v1/programs')).status).toBe(401);
  });

  it('are told to the admin before and after: sign-ins ended, API tokens deleted for good, the calendar feed paused', async () => {
    const person = await buildPerson(admin);
    const theirs = await signInAs(t, person);
    for (const name of ['nightly export', 'dashboard']) expect((await theirs.post('/api/v1/tokens').send({ name, scope: 'read' })).status).toBe(201);
    expect((await theirs.post('/api/v1/calendar/token')).status).toBe(201);

    // before: what deactivating would end, for the admin to confirm
    const before = await admin.get(`/api/v1/users/${person.id}/deactivation`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ sessions: 1, apiTokens: 2, calendarFeed: true });

    // after: what it did end
    const res = await admin.patch(`/api/v1/users/${person.id}`).send({ active: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: person.id, active: false, revoked: { sessions: 1, apiTokens: 2 } });
    expect((await admin.get(`/api/v1/users/${person.id}/deactivation`)).body).toEqual({ sessions: 0, apiTokens: 0, calendarFeed: true });

    // reactivation lets them sign in again; the tokens stay revoked
    const back = await admin.patch(`/api/v1/users/${person.id}`).send({ active: true });
    expect(back.body).toMatchObject({ active: true, revoked: null });
    const again = await signInAs(t, person);
    expect((await again.get('/api/v1/tokens')).body.items).toEqual([]);
    // a change that deactivates nothing ends nothing
    expect((await admin.patch(`/api/v1/users/${person.id}`).send({ name: 'Renamed' })).body.revoked).toBeNull();
  });

  it('are previewed only by admins, and only for someone who exists', async () => {
    const person = await buildPerson(admin);
    const pm = await t.signIn('pm@demo.tandem');
    expect((await pm.get(`/api/v1/users/${person.id}/deactivation`)).status).toBe(403);
    expect((await admin.get('/api/v1/users/00000000-0000-4000-8000-000000000000/deactivation')).status).toBe(404);
    expect((await admin.get('/api/v1/users/not-an-id/deactivation')).status).toBe(404);
  });

  it('can sign in again once reactivated', async () => {
    const person = await buildPerson(admin);
    await admin.patch(`/api/v1/users/${person.id}`).send({ active: false });
    const back = await admin.patch(`/api/v1/users/${person.id}`).send({ active: true });
    expect(back.body).toMatchObject({ active: true, deactivatedAt: null });
    expect((await login({ email: person.email, password: person.password })).status).toBe(200);
  });
});

describe('people (users)', () => {
  it('admin creates a person, the answer holds no password or hash, and the person can sign in', async () => {
    const input = personInput({ orgRole: 'viewer' });
    const res = await admin.post('/api/v1/users').send(input);
    expect([200, 201]).toContain(res.status);
    expect(res.body).toEqual({
      id: expect.any(String),
      email: input.email,
      name: input.name,
      orgRole: 'viewer',
      active: true,
      createdAt: expect.any(String),
      deactivatedAt: null,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password|argon2/i);
    const signedIn = await login({ email: input.email, password: input.password });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ id: res.body.id, orgRole: 'viewer' });
  });

  it('stores a new email lower-case', async () => {
    const input = personInput();
    const res = await admin.post('/api/v1/users').send({ ...input, email: input.email.toUpperCase() });
    expect(res.body.email).toBe(input.email);
  });

  it('never lists a password or hash', async () => {
    const list = await admin.get('/api/v1/users?includeInactive=true&limit=200');
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(list.body)).not.toMatch(/password|argon2/i);
  });

  it('refuses POST /users from someone who is not an admin (403)', async () => {
    const pm = await t.signIn('pm@demo.tandem');
    const res = await pm.post('/api/v1/users').send(personInput());
    expect(res.status).toBe(403);
  });

  it('refuses PATCH /users/:id from someone who is not an admin (403)', async () => {
    const pm = await t.signIn('pm@demo.tandem');
    const person = await buildPerson(admin);
    expect((await pm.patch(`/api/v1/users/${person.id}`).send({ name: 'Renamed' })).status).toBe(403);
  });

  it('refuses a duplicate email with 409, whatever its case', async () => {
    const person = await buildPerson(admin);
    const again = await admin.post('/api/v1/users').send(personInput({ email: person.email }));
    expect(again.status).toBe(409);
    const upper = await admin.post('/api/v1/users').send(personInput({ email: person.email.toUpperCase() }));
    expect(upper.status).toBe(409);
    expect(upper.body.message).toEqual(expect.any(String));
  });

  it('does not let an admin deactivate or demote themselves (409)', async () => {
    const self = (await admin.get('/api/v1/auth/me')).body as { id: string };
    const deactivate = await admin.patch(`/api/v1/users/${self.id}`).send({ active: false });
    expect(deactivate.status).toBe(409);
    expect(deactivate.body.message).toMatch(/yourself/);
    expect((await admin.patch(`/api/v1/users/${self.id}`).send({ orgRole: 'member' })).status).toBe(409);
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('answers 404 for a person that does not exist', async () => {
    const res = await admin.get('/api/v1/users/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
  });
});
