import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserIdentity } from '../src/auth/user-identity.entity';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, setCookies, unique, type Agent } from './helpers';
import { APP_ORIGIN, Browser, CLIENT_ID, CLIENT_SECRET, startImpostor, startProvider, type TestProvider } from './oidc-provider';

/**
 * Single sign-on with OpenID Connect. Real: a certified OpenID provider (`oidc-provider`) on port
 * 0 with its own login and consent pages, driven over HTTP like a browser; openid-client inside the
 * app; PostgreSQL (a database per app); sessions, cookies, CSRF check and rate limit as deployed.
 * Three apps: `t` (only existing accounts may sign in), `creating` (OIDC_CREATE_USERS=1) and
 * `impostorApp`, whose issuer is a discovery document that lies about who signs the tokens.
 * Nothing is mocked.
 */

let provider: TestProvider;
let impostor: Awaited<ReturnType<typeof startImpostor>>;
let t: TestApp;
let creating: TestApp;
let impostorApp: TestApp;
let admin: Agent;

const oidcEnv = (issuer: string, extra: Record<string, string> = {}) => ({
  PUBLIC_ORIGIN: APP_ORIGIN,
  OIDC_ISSUER: issuer,
  OIDC_CLIENT_ID: CLIENT_ID,
  OIDC_CLIENT_SECRET: CLIENT_SECRET,
  OIDC_LABEL: 'Sign in with Example SSO',
  ...extra,
});

beforeAll(async () => {
  provider = await startProvider();
  impostor = await startImpostor(provider);
  [t, creating, impostorApp] = await Promise.all([
    startTestApp(oidcEnv(provider.issuer)),
    startTestApp(oidcEnv(provider.issuer, { OIDC_CREATE_USERS: '1', SEED_DEMO: '0' })),
    // Started while its provider is down: discovery failing must not stop the app.
    startTestApp(oidcEnv(impostor.issuer, { SEED_DEMO: '0' })),
  ]);
  admin = await t.signIn('admin@demo.tandem');
});

afterAll(async () => {
  await Promise.all([t?.close(), creating?.close(), impostorApp?.close()]);
  await Promise.all([provider?.close(), impostor?.close()]);
});

/** A Tandem account and a provider account with the same (verified) email; answers both. */
async function person(claims: { email_verified?: boolean; name?: string } = {}) {
  const email = `sso.${unique()}@example.test`;
  const tandem = await buildPerson(admin, { email });
  const sub = `sub-${unique()}`;
  provider.accounts.set(sub, { email, email_verified: true, ...claims });
  return { tandem, sub, email };
}

async function me(browser: Browser) {
  return browser.app.get('/api/v1/auth/me');
}

describe('which sign-ins the server offers', () => {
  it('lists passwords and single sign-on with its label', async () => {
    const res = await t.http().get('/api/v1/auth/providers');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ password: true, oidc: { label: 'Sign in with Example SSO' } });
  });
});

describe('starting a sign-in', () => {
  it('redirects to the provider with code flow, PKCE S256, state and nonce, and seals them in a short-lived cookie', async () => {
    const { res, authorizeUrl } = await new Browser(t).start('/programs');
    expect(res.status).toBe(302);
    expect(authorizeUrl!.origin).toBe(provider.issuer);
    const params = Object.fromEntries(authorizeUrl!.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${APP_ORIGIN}/api/v1/auth/oidc/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.state!.length).toBeGreaterThanOrEqual(32);
    expect(params.nonce!.length).toBeGreaterThanOrEqual(32);
    const cookie = setCookies(res).find((c) => c.name === 'tandem_oidc')!;
    expect(cookie.attributes).toMatchObject({ httponly: '', samesite: 'Lax', path: '/api/v1/auth/oidc', 'max-age': '600' });
    // sealed: neither the state nor the verifier can be read from it
    expect(cookie.value).not.toContain(params.state);
  });

  it('refuses an over-long returnTo with the field and the reason', async () => {
    const res = await t.http().get('/api/v1/auth/oidc/start').query({ returnTo: `/${'a'.repeat(3000)}` });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'returnTo', reason: 'must be at most 2048 characters' }]);
  });
});

describe('signing in', () => {
  it('signs an existing person in: a working session, the sign-in cookie spent, back to returnTo', async () => {
    const { tandem, sub } = await person();
    const browser = new Browser(t);
    const { authorizeUrl } = await browser.start('/programs/QA?tab=raci');
    const back = await browser.authorize(authorizeUrl!, sub);
    // The CSRF origin check is for writes; a GET arriving from the provider's pages passes it.
    const res = await browser.callback(back, { Referer: `${provider.issuer}/interaction/x` });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/programs/QA?tab=raci');
    const cookies = setCookies(res);
    expect(cookies.find((c) => c.name === 'tandem_session')?.attributes).toMatchObject({ httponly: '', samesite: 'Lax', path: '/' });
    expect(cookies.find((c) => c.name === 'tandem_oidc')?.value).toBe('');
    const who = await me(browser);
    expect(who.status).toBe(200);
    expect(who.body).toEqual({ id: tandem.id, email: tandem.email, name: tandem.name, orgRole: 'member' });
    // The same callback again (a replay, or the back button) finds no sign-in in progress.
    const replay = await browser.callback(back);
    expect(replay.status).toBe(400);
    expect(replay.body.errors[0].field).toBe('state');
  });

  it('finds the same person by (issuer, subject) when the email at the provider has changed', async () => {
    const { tandem, sub } = await person();
    expect((await new Browser(t).signIn(sub)).status).toBe(302);
    provider.accounts.set(sub, { email: `renamed.${unique()}@example.test`, email_verified: true });
    const browser = new Browser(t);
    const res = await browser.signIn(sub);
    expect(res.headers.location).toBe('/');
    expect((await me(browser)).body.id).toBe(tandem.id);
    const identities = await t.orm.em.fork().find(UserIdentity, { user: tandem.id });
    expect(identities.map((i) => [i.issuer, i.subject])).toEqual([[provider.issuer, sub]]);
  });

  it('refuses a second provider identity for an account that already has one', async () => {
    const { email, sub } = await person();
    await new Browser(t).signIn(sub);
    const other = `sub-${unique()}`;
    provider.accounts.set(other, { email, email_verified: true });
    const res = await new Browser(t).signIn(other);
    expect(res.headers.location).toBe('/login?error=identity_conflict');
  });

  it('sends an unknown email back to the sign-in page when accounts are not created (OIDC_CREATE_USERS=0)', async () => {
    const sub = `sub-${unique()}`;
    provider.accounts.set(sub, { email: `nobody.${unique()}@example.test`, email_verified: true });
    const browser = new Browser(t);
    const res = await browser.signIn(sub, '/portfolio');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?error=no_account&next=%2Fportfolio');
    expect(setCookies(res).some((c) => c.name === 'tandem_session')).toBe(false);
    expect((await me(browser)).status).toBe(401);
  });

  it('creates an org member on first sign-in when OIDC_CREATE_USERS=1', async () => {
    const sub = `sub-${unique()}`;
    const email = `New.Person.${unique()}@Example.test`;
    provider.accounts.set(sub, { email, email_verified: true, name: 'New Person' });
    const browser = new Browser(creating);
    const res = await browser.signIn(sub);
    expect(res.headers.location).toBe('/');
    const who = await me(browser);
    expect(who.body).toMatchObject({ email: email.toLowerCase(), name: 'New Person', orgRole: 'member' });
    // and the next sign-in is the same account, not another one
    const again = new Browser(creating);
    await again.signIn(sub);
    expect((await me(again)).body.id).toBe(who.body.id);
  });

  it('refuses a deactivated person, linked or not', async () => {
    const { tandem, sub } = await person();
    await new Browser(t).signIn(sub);
    expect((await admin.patch(`/api/v1/users/${tandem.id}`).send({ active: false })).status).toBe(200);
    const browser = new Browser(t);
    expect((await browser.signIn(sub)).headers.location).toBe('/login?error=account_deactivated');
    expect((await me(browser)).status).toBe(401);

    const unlinked = await person();
    await admin.patch(`/api/v1/users/${unlinked.tandem.id}`).send({ active: false });
    expect((await new Browser(t).signIn(unlinked.sub)).headers.location).toBe('/login?error=account_deactivated');
  });

  it('refuses an email the provider says is not verified, and a provider account without an email', async () => {
    const { sub } = await person({ email_verified: false });
    expect((await new Browser(t).signIn(sub)).headers.location).toBe('/login?error=email_unverified');
    const noEmail = `sub-${unique()}`;
    provider.accounts.set(noEmail, { name: 'No Email' });
    expect((await new Browser(t).signIn(noEmail)).headers.location).toBe('/login?error=email_missing');
  });

  it('tells the person when they cancelled at the provider', async () => {
    const browser = new Browser(t);
    const { authorizeUrl } = await browser.start();
    const res = await browser.callback(await browser.authorize(authorizeUrl!, 'nobody', { abort: true }));
    expect(res.headers.location).toBe('/login?error=cancelled');
  });

  it.each(['//evil.com', 'https://evil.com', '/\\evil.com', 'javascript:alert(1)'])('returns to / instead of the returnTo %j', async (returnTo) => {
    const { sub } = await person();
    const res = await new Browser(t).signIn(sub, returnTo);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
  });
});

describe('callbacks that do not belong to this browser', () => {
  /** A real code and state from the provider, with the browser that started the sign-in. */
  async function halfway() {
    const { sub } = await person();
    const browser = new Browser(t);
    const { authorizeUrl } = await browser.start();
    return { browser, back: await browser.authorize(authorizeUrl!, sub) };
  }

  it('400: no sign-in in progress (no cookie)', async () => {
    const { back } = await halfway();
    const res = await new Browser(t).callback(back);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'state', reason: expect.stringMatching(/no sign-in is in progress/) }]);
  });

  it('400: a state that is not the one in the cookie', async () => {
    const { browser, back } = await halfway();
    back.searchParams.set('state', 'forged-state-forged-state-forged-state');
    const res = await browser.callback(back);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'state', reason: expect.stringMatching(/does not match/) }]);
    expect((await me(browser)).status).toBe(401);
  });

  it('400: a missing state, and a cookie that was tampered with', async () => {
    const { back } = await halfway();
    const missing = new URL(back);
    missing.searchParams.delete('state');
    const res = await t.http().get(`${missing.pathname}${missing.search}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'state', reason: 'is required' }]);
    const forged = await t.http().get(`${back.pathname}${back.search}`).set('Cookie', 'tandem_oidc=v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.status).toBe(400);
    expect(forged.body.errors).toEqual([{ field: 'state', reason: expect.stringMatching(/not valid/) }]);
  });

  it('refuses an ID token whose nonce is not the one this browser sent', async () => {
    const { sub } = await person();
    const browser = new Browser(t);
    const { authorizeUrl } = await browser.start();
    authorizeUrl!.searchParams.set('nonce', 'a-nonce-the-attacker-chose-0123456789');
    const res = await browser.callback(await browser.authorize(authorizeUrl!, sub));
    expect(res.headers.location).toBe('/login?error=invalid_response');
    expect((await me(browser)).status).toBe(401);
  });

  it('refuses an answer that names another issuer (RFC 9207 `iss`)', async () => {
    const { browser, back } = await halfway();
    back.searchParams.set('iss', 'https://mix-up.example');
    expect((await browser.callback(back)).headers.location).toBe('/login?error=invalid_response');
  });
});

describe('when the provider is down', () => {
  it('503 with Retry-After when the token endpoint does not answer', async () => {
    const { sub } = await person();
    const browser = new Browser(t);
    const { authorizeUrl } = await browser.start();
    const back = await browser.authorize(authorizeUrl!, sub);
    await provider.stop();
    try {
      const res = await browser.callback(back);
      expect(res.status).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body.message).toMatch(/cannot be reached/);
    } finally {
      await provider.resume();
    }
  });

  it('503 with Retry-After while discovery fails, retried afterwards; then an ID token from another issuer is refused', async () => {
    // The app started while this provider answered 503: it is up, and says when to try again.
    const down = await impostorApp.http().get('/api/v1/auth/oidc/start');
    expect(down.status).toBe(503);
    const wait = Number(down.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(5);

    impostor.down = false;
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
    const { sub } = await person();
    const browser = new Browser(impostorApp);
    const { res, authorizeUrl } = await browser.start();
    expect(res.status).toBe(302);
    const back = await browser.authorize(authorizeUrl!, sub);
    // The real provider says who it is in `iss`; this one hid that, so only the ID token tells.
    back.searchParams.delete('iss');
    const answer = await browser.callback(back);
    expect(answer.headers.location).toBe('/login?error=invalid_response');
    expect((await me(browser)).status).toBe(401);
  }, 30_000);
});
