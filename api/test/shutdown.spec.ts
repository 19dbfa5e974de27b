import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE, type LiveSocket, type RefusalReason } from '@tandem/collab-protocol';
import { ackLog, collabClients, holdsAll, startApiProcess, storedInPostgres, waitFor, type AckLog, type ApiProcess, type TestClient } from './collab-harness';
import { createTestDatabase } from './harness';

/**
 * Graceful shutdown. Real: the api as a separate process (src/main.ts as tsc compiles it), real
 * PostgreSQL, socket.io clients with the real provider editing while the process gets SIGTERM.
 */
const EDITORS = ['pm@demo.tandem', 'partner@demo.tandem'];

describe('SIGTERM while clients edit', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: ApiProcess | undefined;
  let clients: ReturnType<typeof collabClients> | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    clients?.closeAll();
    api?.kill('SIGKILL');
    await db?.drop();
  });

  it('tells clients `closing: server_shutdown`, stores every acknowledged edit, refuses new connections and exits 0 within the bound; the clients come back by themselves', async () => {
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      SEED_DEMO: '1',
      SESSION_SECRET: 'shutdown-test-secret-shutdown-test-0123',
      LOG_LEVEL: 'warn',
      WEB_BUILD_DIR: '',
      SHUTDOWN_TIMEOUT_SECONDS: '10',
    };
    api = await startApiProcess(env);
    const { origin } = api;
    clients = collabClients(origin);
    const cookie = await clients.cookieFor(EDITORS[0] ?? '');
    const created = await fetch(`${origin}/api/v1/programs/QA/docs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ kind: 'plan', title: 'shutdown' }),
    });
    expect(created.status).toBe(201);
    const docId = ((await created.json()) as { id: string }).id;

    const editors: TestClient[] = [];
    const logs: AckLog[] = [];
    const closing: RefusalReason[][] = [];
    for (const email of EDITORS) {
      const c = await clients.client(email, docId);
      const reasons: RefusalReason[] = [];
      c.socket.on('closing', (reason) => reasons.push(reason));
      closing.push(reasons);
      logs.push(ackLog(c.socket, docId));
      editors.push(c);
    }
    await waitFor(() => editors.every((c) => c.provider.status === 'saved'), 10_000, 'clients synced');
    // A page's /live socket on the first editor's connection, as a browser multiplexes them.
    const live = editors[0]!.socket.io.socket(LIVE_NAMESPACE) as LiveSocket;
    const liveDrops: string[] = [];
    live.on('disconnect', (reason) => liveDrops.push(reason));
    // (The Manager connects a namespace it makes by itself; a second connect() would send a second
    // CONNECT and leave the server holding two /live sockets for this one.)
    if (!live.active) live.connect();
    await waitFor(() => live.connected, 5_000, '/live connected');
    let n = 0;
    const timers = editors.map((c, i) => setInterval(() => c.doc.getText('t').insert(0, `${i}.${n++} `), 5));
    await waitFor(() => logs.every((l) => l.acknowledged.length >= 30 && l.sent() > l.acknowledged.length), 15_000, 'edits acknowledged and in flight');

    const stopping = Date.now();
    api.kill('SIGTERM');
    await waitFor(() => editors.every((c) => !c.socket.connected), 10_000, 'the server to close the connections');
    const exit = await api.exited;
    const tookMs = Date.now() - stopping;
    timers.forEach(clearInterval);

    expect(exit).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    closing.forEach((reasons, i) => expect(reasons, `client ${i}`).toEqual(['server_shutdown']));
    const stored = await storedInPostgres(db.url, docId);
    logs.forEach((l, i) => {
      expect(l.acknowledged.length, `client ${i} acknowledged`).toBeGreaterThanOrEqual(30);
      expect(holdsAll(stored, l.acknowledged), `client ${i}: an acknowledged edit is missing`).toBe(true);
    });
    // Nothing listens any more.
    await expect(fetch(`${origin}/health/live`)).rejects.toThrow();
    // /live lost its connection with the server, and was never told to go away (socket.io's client
    // would not come back from that). Once in ~11 runs on a loaded machine it also lost it once
    // before the SIGTERM and came back by itself, so the last drop is the one checked.
    expect(liveDrops).not.toContain('io server disconnect');
    expect(liveDrops.at(-1)).toBe('transport close');

    // The same address again (a restarted node): the providers reconnect on their own — socket.io
    // alone does not after a server-side disconnect — and send what was never acknowledged.
    api = await startApiProcess({ ...env, SEED_DEMO: '0' }, 90_000, Number(new URL(origin).port));
    await waitFor(() => editors.every((c) => c.provider.status === 'saved'), 30_000, 'the clients to reconnect and save');
    const [first, second] = editors;
    expect(first?.doc.getText('t').toString()).toBe(second?.doc.getText('t').toString());
    expect((await storedInPostgres(db.url, docId)).getText('t').toString()).toBe(first?.doc.getText('t').toString());
    await waitFor(() => live.connected, 30_000, '/live to reconnect by itself');
  }, 150_000);
});
