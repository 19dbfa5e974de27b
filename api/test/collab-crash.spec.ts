import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ackLog, collabClients, freePort, holdsAll, sameState, startApiProcess, storedInPostgres, waitFor, type AckLog, type ApiProcess, type TestClient } from './collab-harness';
import { createTestDatabase } from './harness';

/**
 * Durability across a crash. Real: the api as a separate process (src/main.ts as tsc compiles it,
 * see `startApiProcess`), killed with SIGKILL while clients edit, then started again on the same
 * PostgreSQL database and port; socket.io clients with the real provider, which reconnect and
 * re-send what was not acknowledged.
 */
const EDITORS = ['pm@demo.tandem', 'partner@demo.tandem', 'qa.lead@demo.tandem'];
const EDIT_EVERY_MS = 8;

const env = (databaseUrl: string) => ({
  NODE_ENV: 'test',
  DATABASE_URL: databaseUrl,
  SEED_DEMO: '1',
  SESSION_SECRET: 'crash-test-secret-crash-test-secret-0123',
  LOG_LEVEL: 'warn',
  WEB_BUILD_DIR: '',
});

function edit(client: TestClient, index: number): ReturnType<typeof setInterval> {
  let n = 0;
  return setInterval(() => {
    const text = client.doc.getText('t');
    n += 1;
    if (n % 9 === 0 && text.length > 6) text.delete((n * 7) % (text.length - 3), 3);
    else if (n % 5 === 0) client.doc.getMap('m').set(`c${index}`, n);
    else text.insert((n * 13 + index) % (text.length + 1), `${index}.${n} `);
  }, EDIT_EVERY_MS);
}

describe('collab: a crash loses no acknowledged edit', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: ApiProcess | undefined;
  let clients: ReturnType<typeof collabClients> | undefined;
  const timings: Record<string, number> = {};
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    clients?.closeAll();
    api?.kill('SIGTERM');
    await api?.exited;
    await db?.drop();
    console.info('crash test (ms, counts):', timings);
  });

  it('SIGKILL while three clients edit: every acknowledged update is in PostgreSQL, and after a restart the clients converge with it', async () => {
    const port = await freePort();
    let since = performance.now();
    api = await startApiProcess(env(db.url), 90_000, port);
    timings.firstStart = Math.round(performance.now() - since);
    const origin = `http://127.0.0.1:${port}`;
    clients = collabClients(origin);
    const created = await fetch(`${origin}/api/v1/programs/QA/docs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await clients.cookieFor(EDITORS[0] ?? '') },
      body: JSON.stringify({ kind: 'plan', title: 'crash' }),
    });
    expect(created.status).toBe(201);
    const docId = ((await created.json()) as { id: string }).id;

    const editors: TestClient[] = [];
    const logs: AckLog[] = [];
    for (const email of EDITORS) {
      const c = await clients.client(email, docId);
      logs.push(ackLog(c.socket, docId));
      editors.push(c);
    }
    await waitFor(() => editors.every((c) => c.provider.status === 'saved'), 10_000, 'clients synced');
    const timers = editors.map(edit);

    // Mid-stream: every client has had edits acknowledged and has more in flight.
    await waitFor(() => logs.every((l) => l.acknowledged.length >= 40 && l.sent() > l.acknowledged.length), 15_000, 'edits acknowledged and in flight');
    const killed = api;
    killed.kill('SIGKILL');
    await killed.exited;
    await waitFor(() => editors.every((c) => !c.socket.connected), 5000, 'clients to notice');
    const acknowledged = logs.map((l) => [...l.acknowledged]);
    timings.acknowledgedBeforeKill = acknowledged.reduce((n, a) => n + a.length, 0);
    timings.unacknowledgedAtKill = logs.reduce((n, l) => n + l.sent(), 0) - timings.acknowledgedBeforeKill;

    const afterCrash = await storedInPostgres(db.url, docId);
    acknowledged.forEach((updates, i) => expect(holdsAll(afterCrash, updates), `client ${i}: acknowledged updates missing after the crash`).toBe(true));

    // The clients keep editing offline while the process restarts on the same database and port.
    since = performance.now();
    api = await startApiProcess(env(db.url), 90_000, port);
    timings.restart = Math.round(performance.now() - since);
    await waitFor(() => editors.every((c) => c.socket.connected && c.provider.status !== 'offline'), 10_000, 'clients to reconnect');
    await new Promise((r) => setTimeout(r, 300));
    timers.forEach(clearInterval);
    since = performance.now();
    const [first] = editors;
    if (!first) throw new Error('no clients');
    await waitFor(() => editors.every((c) => c.provider.status === 'saved' && sameState(c.doc, first.doc)), 20_000, 'clients saved and identical');
    timings.convergeAfterEditsStopped = Math.round(performance.now() - since);

    const final = await storedInPostgres(db.url, docId);
    expect(sameState(final, first.doc)).toBe(true);
    expect(final.getText('t').toString()).toBe(first.doc.getText('t').toString());
    expect(final.getMap('m').toJSON()).toEqual(first.doc.getMap('m').toJSON());
    logs.forEach((l, i) => expect(holdsAll(final, l.acknowledged), `client ${i}`).toBe(true));
    // Every client's edits, including those made offline, are in the document.
    expect(Y.decodeStateVector(Y.encodeStateVector(final)).size).toBe(editors.length);
  }, 180_000);
});
