import { randomBytes } from 'node:crypto';
import { connectCollab } from '@tandem/collab-protocol';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config';
import { securityHeaders } from '../src/security/headers';
import { startCollabApp, startCollabNode, type CollabTestApp } from './collab-harness';
import { startTestApp, type TestApp } from './harness';

/**
 * Hardening. Real: the whole app on PostgreSQL, HTTP through Supertest or fetch, socket.io
 * clients on a listening port, and Redis (TEST_REDIS_URL) shared by two nodes for the rate limit
 * and the sign-in throttle. Origins are set by hand, as a browser on another site would send them.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVIL = 'http://evil.example';
const HOST = 'tandem.test';

const newKey = () => `S${randomBytes(3).toString('hex').toUpperCase()}`;

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends helmet headers and a deny-all Content-Security-Policy on api answers', async () => {
    const res = await t.http().get('/api/v1/auth/me');
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Plain http without a trusted proxy: no HSTS.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect((await t.http().get('/health/ready')).headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('lets Swagger UI load its own scripts and styles, nothing else', async () => {
    const res = await t.http().get('/api/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
    expect(res.headers['content-security-policy']).not.toContain("script-src 'self' 'unsafe-inline'");
  });

  it('keeps the HTML export\'s own, narrower policy', async () => {
    const pm = await t.signIn('pm@demo.tandem');
    const program = (await pm.get('/api/v1/programs/QA')).body.id as string;
    const doc = (await pm.post(`/api/v1/programs/${program}/docs`).send({ kind: 'plan', title: 'Export' })).body.id as string;
    const res = await pm.get(`/api/v1/docs/${doc}/export.html`);
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
  });

  it('sends HSTS only over https behind a trusted proxy, or always when HSTS=always, never when off', async () => {
    const app = (env: Record<string, string>) => {
      const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://x@127.0.0.1/x', SESSION_SECRET: 'x'.repeat(40), ...env });
      const server = express();
      server.set('trust proxy', config.trustProxy);
      server.use(...securityHeaders(config));
      server.get('/api/x', (_req, res) => void res.json({}));
      return request(server);
    };
    const hsts = (res: request.Response) => res.headers['strict-transport-security'];
    expect(hsts(await app({ TRUST_PROXY: '1' }).get('/api/x').set('X-Forwarded-Proto', 'https'))).toBe('max-age=31536000');
    expect(hsts(await app({ TRUST_PROXY: '1' }).get('/api/x'))).toBeUndefined();
    // Without TRUST_PROXY, X-Forwarded-Proto is anyone's to send.
    expect(hsts(await app({}).get('/api/x').set('X-Forwarded-Proto', 'https'))).toBeUndefined();
    expect(hsts(await app({ HSTS: 'always' }).get('/api/x'))).toBe('max-age=31536000');
    expect(hsts(await app({ HSTS: 'off', TRUST_PROXY: '1' }).get('/api/x').set('X-Forwarded-Proto', 'https'))).toBeUndefined();
  });
});

describe('CSRF: cookie-authenticated writes must come from the app\'s own origin', () => {
  let t: CollabTestApp;
  let pm: Awaited<ReturnType<TestApp['signIn']>>;
  beforeAll(async () => {
    t = await startCollabApp();
    pm = await t.signIn('pm@demo.tandem');
  });
  afterAll(async () => {
    await t?.close();
  });

  const refused = { statusCode: 403, error: 'Forbidden', message: 'Cross-site request refused' };

  it('refuses a write whose Origin is another site, and changes nothing', async () => {
    const key = newKey();
    const res = await pm.post('/api/v1/programs').set('Host', HOST).set('Origin', EVIL).send({ key, name: 'Forged' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(refused);
    expect((await pm.get(`/api/v1/programs/${key}`)).status).toBe(404);
    const program = (await pm.get('/api/v1/programs/QA')).body as { id: string; description: string };
    expect((await pm.patch(`/api/v1/programs/${program.id}`).set('Origin', EVIL).send({ description: 'forged' })).status).toBe(403);
    expect((await pm.post('/api/v1/auth/logout').set('Origin', 'null')).status).toBe(403);
    expect((await pm.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('refuses by Referer when there is no Origin', async () => {
    expect((await pm.post('/api/v1/programs').set('Host', HOST).set('Referer', `${EVIL}/page`).send({ key: newKey(), name: 'Forged' })).status).toBe(403);
    expect((await pm.post('/api/v1/programs').set('Host', HOST).set('Referer', `http://${HOST}/programs`).send({ key: newKey(), name: 'Mine' })).status).toBe(201);
  });

  it('accepts writes from the same host, from non-browser clients, and reads from anywhere', async () => {
    expect((await pm.post('/api/v1/programs').set('Host', HOST).set('Origin', `http://${HOST}`).send({ key: newKey(), name: 'Same origin' })).status).toBe(201);
    expect((await pm.post('/api/v1/programs').send({ key: newKey(), name: 'Script without Origin' })).status).toBe(201);
    expect((await pm.get('/api/v1/programs').set('Origin', EVIL)).status).toBe(200);
  });

  it('does not apply to API-token requests, which carry no cookie', async () => {
    const { token } = (await pm.post('/api/v1/tokens').send({ name: 'ci', scope: 'write' })).body as { token: string };
    const res = await t.http().post('/api/v1/programs').set('Origin', EVIL).set('Authorization', `Bearer ${token}`).send({ key: newKey(), name: 'By token' });
    expect(res.status).toBe(201);
  });

  it('refuses a socket.io handshake with the session cookie from another site, accepts the app\'s own', async () => {
    const cookie = await t.cookieFor('pm@demo.tandem');
    const outcome = (origin: string | undefined) =>
      new Promise<'connected' | 'refused'>((resolve) => {
        const socket = connectCollab(t.origin, { extraHeaders: { cookie, ...(origin ? { origin } : {}) }, reconnection: false });
        socket.on('connect', () => (socket.disconnect(), resolve('connected')));
        socket.on('connect_error', () => (socket.disconnect(), resolve('refused')));
      });
    expect(await outcome(EVIL)).toBe('refused');
    expect(await outcome('null')).toBe('refused');
    expect(await outcome(t.origin)).toBe('connected');
    expect(await outcome(undefined)).toBe('connected');
    // The /live namespace is on the same server and the same handshake rule.
    const res = await fetch(`${t.origin}/socket.io/?EIO=4&transport=polling`, { headers: { cookie, origin: EVIL } });
    expect(res.status).toBe(403);
  });
});

describe('CSRF with PUBLIC_ORIGIN behind a proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_ORIGIN: 'https://tandem.example.com', TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('takes exactly that origin, whatever Host the proxy sends', async () => {
    const pm = await t.signIn('pm@demo.tandem');
    const post = (origin: string) => pm.post('/api/v1/programs').set('Host', '10.0.0.7:3000').set('Origin', origin).send({ key: newKey(), name: 'x' });
    expect((await post('https://tandem.example.com')).status).toBe(201);
    expect((await post('http://tandem.example.com')).status).toBe(403);
    expect((await post('http://10.0.0.7:3000')).status).toBe(403);
  });
});

describe('REST rate limit (one node, in memory)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_RATE_PER_MINUTE: '6', API_RATE_BURST: '5', TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 429 with Retry-After once a session has used its burst; other sessions and health probes are not affected', async () => {
    const pm = await t.signIn('pm@demo.tandem');
    const admin = await t.signIn('admin@demo.tandem');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await pm.get('/api/v1/programs')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await pm.get('/api/v1/programs');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(10);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect((await admin.get('/api/v1/programs')).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await t.http().get('/health/live')).status).toBe(200);
  });

  it('limits signed-out callers by address, except this machine (the web app\'s server-side rendering)', async () => {
    const from = (address: string) => t.http().get('/api/v1/auth/me').set('X-Forwarded-For', address);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await from('203.0.113.7')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await from('198.51.100.9')).status).toBe(401);
    for (let i = 0; i < 8; i++) expect((await t.http().get('/api/v1/auth/me')).status).toBe(401);
  });
});

describe('Redis-backed limits shared by two nodes', () => {
  const env = {
    REDIS_URL,
    REDIS_PREFIX: `sec-test-${process.pid}-${randomBytes(3).toString('hex')}`,
    API_RATE_PER_MINUTE: '1',
    API_RATE_BURST: '10',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
  };
  let a: CollabTestApp;
  let b: CollabTestApp;
  beforeAll(async () => {
    a = await startCollabApp(env);
    b = await startCollabNode(a.config.databaseUrl ?? '', env);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('counts one session\'s requests on every node', async () => {
    const cookie = await a.cookieFor('pm@demo.tandem');
    const get = (node: CollabTestApp) => fetch(`${node.origin}/api/v1/programs`, { headers: { cookie } }).then((r) => r.status);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await get(a));
    for (let i = 0; i < 5; i++) statuses.push(await get(b));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await get(a)).toBe(429);
    expect(await get(b)).toBe(429);
  });

  it('counts failed sign-ins on every node', async () => {
    const login = (node: CollabTestApp, password: string) =>
      fetch(`${node.origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'leader@demo.tandem', password }) });
    expect((await login(a, 'wrong-1')).status).toBe(401);
    expect((await login(b, 'wrong-2')).status).toBe(401);
    expect((await login(a, 'wrong-3')).status).toBe(401);
    const locked = await login(b, 'demo-password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
