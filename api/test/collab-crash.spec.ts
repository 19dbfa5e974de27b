import { execFile, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ackLog, collabClients, freePort, holdsAll, sameState, waitFor, type AckLog, type TestClient } from './collab-harness';
import { createTestDatabase } from './harness';

/**
 * Durability across a crash. Real: the api as a separate process (`node dist/main.js`, built with
 * `tsc -p tsconfig.build.json` when the sources are newer than the build), killed with SIGKILL
 * while clients edit, then started again on the same PostgreSQL database; socket.io clients with
 * the real provider, which reconnect and re-send what was not acknowledged.
 */
const API = join(__dirname, '..');
const MAIN = join(API, 'dist', 'main.js');
const EDITORS = ['pm@demo.tandem', 'partner@demo.tandem', 'qa.lead@demo.tandem'];
const EDIT_EVERY_MS = 8;

/** Newest modification time of the api's TypeScript sources (tests excluded). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

async function buildIfStale(): Promise<void> {
  const built = () => statSync(MAIN, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const before = built();
  if (before >= newestSource(join(API, 'src'))) return;
  // tsc emits even when it reports type errors elsewhere; what matters is a fresh main.js.
  const out = await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: API }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
  if (built() <= before) throw new Error(`building the api failed:\n${out.stdout}`);
}

interface ApiProcess {
  exited: Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

async function startApi(port: number, databaseUrl: string): Promise<ApiProcess> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: API,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SEED_DEMO: '1',
      SESSION_SECRET: 'crash-test-secret-crash-test-secret-0123',
      LOG_LEVEL: 'warn',
      WEB_BUILD_DIR: '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 100))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the api exited while starting:\n${stderr}`);
    if (Date.now() - started > 60_000) throw new Error(`the api did not start within 60 s:\n${stderr}`);
    if (await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.ok, () => false)) break;
  }
  return { exited, kill: (signal) => void child.kill(signal) };
}

/** The document as PostgreSQL alone holds it: the snapshot and the log, read in one statement. */
async function storedInPostgres(databaseUrl: string, docId: string): Promise<Y.Doc> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ data: Buffer }>(
      `select data from (select state as data, 0 as part, 0::bigint as id from doc_snapshot where doc_id = $1
         union all select data, 1, id from doc_update where doc_id = $1) s order by part, id`,
      [docId],
    );
    const doc = new Y.Doc();
    Y.transact(doc, () => rows.forEach((r) => Y.applyUpdate(doc, new Uint8Array(r.data))));
    return doc;
  } finally {
    await client.end();
  }
}

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
    const since = performance.now();
    await buildIfStale();
    timings.build = Math.round(performance.now() - since);
    db = await createTestDatabase();
  }, 120_000);
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
    api = await startApi(port, db.url);
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
    api = await startApi(port, db.url);
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
  }, 60_000);
});
