import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomsService } from '../src/collab/rooms.service';
import express from 'express';
import request from 'supertest';
import { createLogger, httpLogger, redactUrl } from '../src/observability/logging';
import { startCollabApp, waitFor, waitForStatus, type CollabTestApp } from './collab-harness';
import { startTestApp, type TestApp } from './harness';

/**
 * Logs, metrics and readiness. Real: the whole app on PostgreSQL, Redis (TEST_REDIS_URL, default
 * the local server) for the relay metrics, socket.io clients editing a document; the JSON log
 * lines are captured as pino writes them.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `obs-test-${process.pid}`;
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

type LogLine = Record<string, unknown> & { msg?: string; level?: string; context?: string; req?: { id?: string; url?: string; headers?: Record<string, string> } };

function logSink() {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  return {
    lines,
    raw,
    destination: {
      write(line: string) {
        raw.push(line);
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  };
}

/** One sample's value from the text exposition format (labels given must all match). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('JSON logs', () => {
  let t: TestApp;
  const sink = logSink();
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'log' }, { logDestination: sink.destination });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives every request an id: a well-formed X-Request-Id is kept and echoed, anything else is replaced', async () => {
    const kept = await t.http().get('/health/live').set('X-Request-Id', 'lb-7f3a.42:abc');
    expect(kept.headers['x-request-id']).toBe('lb-7f3a.42:abc');
    const replaced = await t.http().get('/api/v1/auth/me').set('X-Request-Id', 'not "well" formed <script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await t.http().get('/api/v1/auth/me');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => sink.lines.some((l) => l.req?.id === replaced.headers['x-request-id']), 2000, 'the request log line');
    const line = sink.lines.find((l) => l.req?.id === replaced.headers['x-request-id']);
    expect(line).toMatchObject({ level: 'info', msg: 'request completed', req: { method: 'GET', url: '/api/v1/auth/me' }, res: { statusCode: 401 } });
    // Health probes are not logged (they would drown everything else).
    expect(sink.lines.some((l) => l.req?.id === 'lb-7f3a.42:abc')).toBe(false);
  });

  it('never writes a password, a session cookie, a bearer token or a secret URL token', async () => {
    // (The start-up line that tells how to sign in to the demo says its password on purpose; look after it.)
    const from = sink.raw.length;
    await t.http().post('/api/v1/auth/login').send({ email: 'pm@demo.tandem', password: 'a-wrong-password-42' });
    const login = await t.http().post('/api/v1/auth/login').send({ email: 'pm@demo.tandem', password: 'demo-password' });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const session = cookie.split('=')[1] ?? '';
    expect(session.length).toBeGreaterThan(20);
    const me = await t.http().get('/api/v1/auth/me').set('Cookie', cookie).set('X-Request-Id', 'with-cookie');
    expect(me.status).toBe(200);
    const bearer = `tdm_${'A'.repeat(43)}`;
    await t.http().get('/api/v1/programs').set('Authorization', `Bearer ${bearer}`).set('X-Request-Id', 'with-bearer');
    const feedToken = 'b'.repeat(43);
    await t.http().get(`/api/v1/calendar/${feedToken}.ics?token=${feedToken}`).set('X-Request-Id', 'with-feed');
    await waitFor(() => ['with-cookie', 'with-bearer', 'with-feed'].every((id) => sink.lines.some((l) => l.req?.id === id)), 2000, 'log lines');

    const all = sink.raw.slice(from).join('');
    expect(all).toContain('/api/v1/auth/login');
    for (const secret of ['demo-password', 'a-wrong-password-42', session, bearer, feedToken]) expect(all).not.toContain(secret);
    const withCookie = sink.lines.find((l) => l.req?.id === 'with-cookie');
    expect(withCookie?.req?.headers?.cookie).toBe('[redacted]');
    expect(withCookie?.userId).toBeTypeOf('string');
    expect(sink.lines.find((l) => l.req?.id === 'with-bearer')?.req?.headers?.authorization).toBe('[redacted]');
    expect(sink.lines.find((l) => l.req?.id === 'with-feed')?.req?.url).toBe('/api/v1/calendar/[redacted].ics?token=[redacted]');
    // A request without those headers does not pretend to have had them.
    expect(sink.lines.find((l) => l.req?.id === replacedId(sink.lines))?.req?.headers).not.toHaveProperty('cookie');
  });

  it("routes Nest's Logger through pino, as JSON with the context", async () => {
    new Logger('ObservabilityTest').warn('a warning from Nest');
    await waitFor(() => sink.lines.some((l) => l.msg === 'a warning from Nest'), 2000, 'the Nest log line');
    expect(sink.lines.find((l) => l.msg === 'a warning from Nest')).toMatchObject({ level: 'warn', context: 'ObservabilityTest', service: 'tandem-api' });
  });

  it('logs a 5xx at error level without a made-up error (the errors filter logs the real one)', async () => {
    const out: string[] = [];
    const server = express();
    server.use(httpLogger(createLogger({ logLevel: 'log' }, { write: (l: string) => void out.push(l) })));
    server.get('/api/boom', (_req, res) => void res.status(503).json({}));
    await request(server).get('/api/boom').set('X-Request-Id', 'boom-1');
    await waitFor(() => out.length > 0, 2000, 'the log line');
    const line = JSON.parse(out[0] ?? '{}') as LogLine;
    expect(line).toMatchObject({ level: 'error', msg: 'request failed with 503', req: { id: 'boom-1' }, res: { statusCode: 503 } });
    expect(line).not.toHaveProperty('err');
  });

  it('redacts any password field and maps LOG_LEVEL onto pino levels', () => {
    const out: string[] = [];
    const logger = createLogger({ logLevel: 'log' }, { write: (l: string) => void out.push(l) });
    logger.info({ password: 'p1', body: { password: 'p2', newPassword: 'p3' }, deep: { user: { password: 'p4' } } }, 'sign-in');
    expect(out.join('')).not.toMatch(/p1|p2|p3|p4/);
    expect(logger.level).toBe('info');
    expect(createLogger({ logLevel: 'debug' }).level).toBe('debug');
    expect(createLogger({ logLevel: 'warn' }).level).toBe('warn');
    expect(createLogger({ logLevel: 'error' }).level).toBe('error');
    expect(redactUrl(`/api/v1/shared/${'x'.repeat(43)}/report.md`)).toBe('/api/v1/shared/[redacted]/report.md');
    expect(redactUrl('/api/v1/programs/QA/milestones?limit=5')).toBe('/api/v1/programs/QA/milestones?limit=5');
  });
});

/** The id of the request that sent neither cookie nor authorization (the second one above). */
function replacedId(lines: LogLine[]): string | undefined {
  return lines.find((l) => l.req?.url === '/api/v1/auth/me' && l.req?.id !== 'with-cookie' && !l.req?.headers?.cookie)?.req?.id;
}

describe('/metrics', () => {
  let t: CollabTestApp;
  let program = '';
  beforeAll(async () => {
    t = await startCollabApp({ METRICS_ENABLED: '1', METRICS_TOKEN, REDIS_URL, REDIS_PREFIX: PREFIX });
    const pm = await t.signIn('pm@demo.tandem');
    program = (await pm.get('/api/v1/programs/QA')).body.id as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  const scrape = async () => {
    const res = await fetch(`${t.origin}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };

  it('answers only with the metrics token', async () => {
    expect((await fetch(`${t.origin}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.origin}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    await scrape();
  });

  it('times HTTP requests by route template and status class, never by raw path', async () => {
    const pm = await t.signIn('pm@demo.tandem');
    expect((await pm.get(`/api/v1/programs/${program}`)).status).toBe(200);
    expect((await pm.get('/api/v1/programs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const text = await scrape();
    expect(sample(text, 'tandem_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/programs/:program', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tandem_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/programs/:program', status_class: '4xx' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(program);
    expect(text).not.toContain('00000000-0000-4000-8000-000000000000');
  });

  it('reports sockets, rooms, the update queue, group-commit batches and the Redis relay lag', async () => {
    const docId = await t.createDoc('pm@demo.tandem', program);
    const client = await t.client('pm@demo.tandem', docId);
    await waitForStatus(client, 'saved');
    client.doc.getText('t').insert(0, 'metrics');
    await waitFor(() => client.provider.status === 'saved' && client.provider.unsavedChanges === 0, 5000, 'the edit saved');
    let text = await scrape();
    expect(sample(text, 'tandem_socket_connections', { namespace: '/collab' })).toBe(1);
    expect(sample(text, 'tandem_collab_open_rooms')).toBe(1);
    expect(sample(text, 'tandem_collab_update_queue_depth')).toBe(0);
    expect(sample(text, 'tandem_group_commit_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tandem_group_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tandem_redis_up')).toBe(1);
    // The first lag probe goes out once the node's probe channel is subscribed.
    for (let i = 0; i < 50 && !sample(text, 'tandem_relay_lag_seconds_count'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      text = await scrape();
    }
    expect(sample(text, 'tandem_relay_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tandem_relay_lag_seconds_sum')).toBeLessThan(1);
    // Node's default metrics come along.
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    client.close();
    await waitFor(() => t.app.get(RoomsService).openRooms === 0, 5000, 'the room to close');
    text = await scrape();
    expect(sample(text, 'tandem_collab_open_rooms')).toBe(0);
    expect(sample(text, 'tandem_socket_connections', { namespace: '/collab' })).toBe(0);
  });

  it('says ready with Redis up', async () => {
    const res = await t.http().get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok', migrations: 'applied', redis: 'ok' });
  });
});

describe('metrics off (the default) and readiness without Redis', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis connection is down from the start.
    t = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_PREFIX: PREFIX, API_RATE_PER_MINUTE: '600' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves no /metrics', async () => {
    expect((await t.http().get('/metrics')).status).toBe(404);
  });

  it('is degraded (200), not unavailable, while Redis is down: PostgreSQL and Redis reported separately', async () => {
    const res = await t.http().get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'degraded', database: 'ok', migrations: 'applied', redis: 'down' });
  });

  it('still signs people in and rate-limits from memory while Redis is down', async () => {
    const pm = await t.signIn('pm@demo.tandem');
    expect((await pm.get('/api/v1/programs')).status).toBe(200);
  });
});
