import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CollabProvider, connectCollab, decodeMessage, type CollabSocket, type CollabStatus, type LiveSocket, type RefusalReason } from '@tandem/collab-protocol';
import pg from 'pg';
import * as Y from 'yjs';
import { createApp } from '../src/bootstrap';
import { DocStore } from '../src/collab/doc-store';
import { startTestApp, testApp, testConfig, type TestApp } from './harness';

/**
 * Real socket.io clients against the real app listening on port 0, with real PostgreSQL.
 * `client(email, docId)` signs in over HTTP and opens /collab with that session cookie.
 */
export interface CollabTestApp extends TestApp {
  origin: string;
  cookieFor(email: string): Promise<string>;
  /** `cookie`: a session of the caller's own instead of the one kept per email */
  client(email: string, docId: string, options?: { doc?: Y.Doc; cookie?: string }): Promise<TestClient>;
  createDoc(email: string, program: string, kind?: 'plan' | 'retro'): Promise<string>;
}

export interface TestClient {
  doc: Y.Doc;
  socket: CollabSocket;
  provider: CollabProvider;
  close(): void;
}

export async function startCollabApp(env: Record<string, string> = {}): Promise<CollabTestApp> {
  return listenWithClients(await startTestApp(env));
}

/**
 * Another api node on the database of a running test app (`databaseUrl`, e.g. `t.config.databaseUrl`):
 * it neither creates nor drops that database, migrates nothing and seeds nothing. `close()`
 * closes only this node.
 */
export async function startCollabNode(databaseUrl: string, env: Record<string, string> = {}): Promise<CollabTestApp> {
  const config = testConfig({ DATABASE_URL: databaseUrl, MIGRATE_ON_START: '0', SEED_DEMO: '0', ...env });
  return listenWithClients(testApp(await createApp(config, { serveWeb: false }), config));
}

async function listenWithClients(t: TestApp): Promise<CollabTestApp> {
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const clients = collabClients(origin);
  const app: CollabTestApp = {
    ...t,
    origin,
    cookieFor: clients.cookieFor,
    client: clients.client,
    async createDoc(email, program, kind = 'plan') {
      const agent = await t.signIn(email);
      const res = await agent.post(`/api/v1/programs/${program}/docs`).send({ kind, title: `${kind} ${Date.now()}` });
      if (res.status !== 201) throw new Error(`creating a doc failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
    async close() {
      clients.closeAll();
      await t.close();
    },
  };
  return app;
}

/** Signs in over HTTP at `origin` (any node, in this process or not) and opens /collab clients there. */
export function collabClients(origin: string) {
  const cookies = new Map<string, string>();
  const clients: TestClient[] = [];
  const cookieFor = async (email: string): Promise<string> => {
    const known = cookies.get(email);
    if (known) return known;
    const res = await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'demo-password' }),
    });
    const cookie = res.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    if (!cookie) throw new Error(`sign-in as ${email} failed: ${res.status}`);
    cookies.set(email, cookie);
    return cookie;
  };
  return {
    cookieFor,
    async client(email: string, docId: string, options: { doc?: Y.Doc; cookie?: string } = {}): Promise<TestClient> {
      const cookie = options.cookie ?? (await cookieFor(email));
      const socket = connectCollab(origin, { extraHeaders: { cookie }, reconnectionDelay: 50, reconnectionDelayMax: 200 });
      const doc = options.doc ?? new Y.Doc();
      const provider = new CollabProvider({ socket, docId, doc, retryDelayMs: 50 });
      const client = { doc, socket, provider, close: () => (provider.destroy(), socket.disconnect()) };
      clients.push(client);
      return client;
    },
    closeAll(): void {
      for (const c of clients) c.close();
    },
  };
}

export interface ApiProcess {
  origin: string;
  /** resolves with the exit signal (or code) once the process is gone */
  exited: Promise<NodeJS.Signals | number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * The api as a separate operating-system process (src/main.ts, transpiled on load by
 * test/ts-register.cjs), listening on a free port, so a test can kill it with SIGKILL. `env` is
 * its whole configuration; nothing else is inherited from the test process but PATH and HOME.
 */
export async function startApiProcess(env: Record<string, string>, timeoutMs = 90_000, port?: number): Promise<ApiProcess> {
  port ??= await freePort();
  const api = join(__dirname, '..');
  const child = spawn(process.execPath, ['-r', join(api, 'test', 'ts-register.cjs'), join(api, 'src', 'main.ts')], {
    cwd: api,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const origin = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the api process exited while starting:\n${stderr}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`the api process did not answer within ${timeoutMs} ms:\n${stderr}`);
    }
    const live = await fetch(`${origin}/health/live`).then((r) => r.ok, () => false);
    if (live) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { origin, exited, kill: (signal = 'SIGTERM') => void child.kill(signal) };
}

/**
 * A free port for a process started later, chosen below the kernel's ephemeral range (32768+): a
 * port from `listen(0)` could be handed, between this check and the child's own listen, to an app
 * another test file starts on port 0 — and the child's start-up probe would then reach that app.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

export function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

export const waitForStatus = (client: TestClient, status: CollabStatus, timeoutMs = 5000) =>
  waitFor(() => client.provider.status === status, timeoutMs, `status ${status} (is ${client.provider.status})`);

/** Resolves with the first refusal the server names on this connection, and how long after `since` (performance.now()) it came. */
export function nextRefusal(client: TestClient, since: number): Promise<{ reason: RefusalReason; ms: number }> {
  return new Promise((resolve) => client.socket.once('error', (_doc, reason) => resolve({ reason, ms: performance.now() - since })));
}

/** Resolves with when (Date.now()) the /live connection is closed, and the reason the client gives. */
export const liveClosed = (live: LiveSocket) =>
  new Promise<{ at: number; reason: string }>((resolve) => live.once('disconnect', (reason) => resolve({ at: Date.now(), reason })));

/** Rejects at `at` (Date.now() time), naming what did not happen by then. */
export const deadline = (at: number, what: string) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), at - Date.now()));

/** A session of the test's own (a `name=value` cookie), not the one the harness keeps per email. */
export async function freshSession(t: TestApp, email: string): Promise<string> {
  const res = await t.http().post('/api/v1/auth/login').send({ email, password: 'demo-password' });
  if (res.status !== 200) throw new Error(`sign-in as ${email} answered ${res.status}`);
  return ([res.headers['set-cookie']].flat()[0] ?? '').split(';')[0] ?? '';
}

/**
 * Two replicas hold the same document: the same changes (state vector) and the same deletions
 * (delete set). Content equality follows from it; tests compare content too, for readable failures.
 */
export function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
}

/** What PostgreSQL alone says the document is (DocStore.loadState), as a fresh Y.Doc. */
export async function storedDoc(t: TestApp, docId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await t.app.get(DocStore).loadState(docId));
  return doc;
}

/**
 * The document as PostgreSQL alone holds it — the snapshot and the log, read in one statement — for
 * a process this test does not hold (an api it started with `startApiProcess`).
 */
export async function storedInPostgres(databaseUrl: string, docId: string): Promise<Y.Doc> {
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

export interface AckLog {
  /** updates this client sent that the server confirmed with `saved`, in the order they were sent */
  readonly acknowledged: Uint8Array[];
  /** update-carrying messages sent on the current connection */
  readonly sent: () => number;
}

/**
 * Watches one client's wire, independently of the provider's own bookkeeping: every
 * update-carrying `y` message it sends for `docId` (numbered per connection from 1, as the
 * contract says) and the `saved(n)` answers. Attach it before the socket connects.
 */
export function ackLog(socket: CollabSocket, docId: string): AckLog {
  const acknowledged: Uint8Array[] = [];
  let onConnection: Uint8Array[] = [];
  let confirmed = 0;
  socket.on('connect', () => {
    onConnection = [];
    confirmed = 0;
  });
  socket.onAnyOutgoing((event: string, ...args: unknown[]) => {
    const [id, message] = args;
    if (event !== 'y' || id !== docId || !(message instanceof Uint8Array)) return;
    const decoded = decodeMessage(message);
    if (decoded.type === 'update' || decoded.type === 'sync-step2') onConnection.push(decoded.update);
  });
  socket.on('saved', (id, n) => {
    if (id !== docId) return;
    for (; confirmed < Math.min(n, onConnection.length); confirmed++) acknowledged.push(onConnection[confirmed] as Uint8Array);
  });
  return { acknowledged, sent: () => onConnection.length };
}

/** Updates that `doc` already holds entirely: applying them changes nothing and leaves nothing pending. */
export function holdsAll(doc: Y.Doc, updates: readonly Uint8Array[]): boolean {
  const probe = new Y.Doc();
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc));
  const before = Y.snapshot(probe);
  Y.transact(probe, () => updates.forEach((u) => Y.applyUpdate(probe, u)));
  const held = Y.equalSnapshots(before, Y.snapshot(probe)) && !probe.store.pendingStructs && !probe.store.pendingDs;
  probe.destroy();
  return held;
}
