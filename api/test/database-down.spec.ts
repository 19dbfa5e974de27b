import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collabClients, freePort, startApiProcess, type ApiProcess } from './collab-harness';
import { ADMIN_URL, createTestDatabase } from './harness';

/**
 * The database goes away under a running node. Real: PostgreSQL behind a TCP relay this test
 * owns (closing the relay and its connections is, to the app, the server stopping), the api as a
 * separate process. While it is gone every REST answer that needs it is a 503 with Retry-After
 * (not a 500), liveness stays up, and once it is back the same node answers again.
 */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  /** Refuse new connections and cut every open one, as a stopped server does. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('PostgreSQL unavailable', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let relay: Relay;
  let api: ApiProcess | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    const admin = new URL(ADMIN_URL);
    relay = new Relay(await freePort(), { host: admin.hostname, port: Number(admin.port || 5432) });
    await relay.open();
  });
  afterAll(async () => {
    api?.kill('SIGKILL');
    await relay?.close();
    await db?.drop();
  });

  it('answers 503 with Retry-After while it is gone, keeps liveness, and serves again once it is back', async () => {
    const viaRelay = new URL(db.url);
    viaRelay.port = String(relay.port);
    api = await startApiProcess({
      NODE_ENV: 'test',
      DATABASE_URL: viaRelay.toString(),
      SEED_DEMO: '1',
      SESSION_SECRET: 'database-down-secret-database-down-0123',
      LOG_LEVEL: 'error',
      WEB_BUILD_DIR: '',
    });
    const { origin } = api;
    const cookie = await collabClients(origin).cookieFor('pm@demo.tandem');
    const get = (path: string) => fetch(`${origin}${path}`, { headers: { cookie } });
    expect((await get('/api/v1/programs')).status).toBe(200);

    await relay.close();
    for (const path of ['/api/v1/programs', '/api/v1/portfolio', '/api/v1/programs/QA/milestones']) {
      const res = await get(path);
      expect(res.status, path).toBe(503);
      expect(res.headers.get('retry-after'), path).toBe('5');
      expect(await res.json(), path).toMatchObject({ statusCode: 503, message: 'The database is unavailable; try again shortly' });
    }
    const write = await fetch(`${origin}/api/v1/programs/QA/updates`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin },
      body: JSON.stringify({ health: 'at_risk', narrative: 'while the database is down' }),
    });
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('5');
    const ready = await fetch(`${origin}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${origin}/health/live`)).status).toBe(200);

    await relay.open();
    const deadline = Date.now() + 20_000;
    while ((await get('/api/v1/programs')).status !== 200) {
      if (Date.now() > deadline) throw new Error('the node did not serve again within 20 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await fetch(`${origin}/health/ready`)).status).toBe(200);
  }, 120_000);
});
