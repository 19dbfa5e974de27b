import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './clients.mjs';
import { cpuMs } from './proc.mjs';

/**
 * Starting and stopping the servers under test, each as its own process pinned to the server
 * CPU. Tandem runs exactly as deployed (`node api/dist/main.js`) against a fresh PostgreSQL
 * database that is created here and dropped afterwards; the peers run from peer-server.mjs.
 */
const requireFromApi = createRequire(join(ROOT, 'api', 'package.json'));
const pg = requireFromApi('pg');
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function admin(sql) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

function waitForLine(child, pattern, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${timeoutMs} ms:\n${seen.slice(-2000)}`)), timeoutMs);
    const onData = (chunk) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${seen.slice(-2000)}`));
    });
  });
}

function track(child, name) {
  // Keep the pipes drained (a full pipe would block the server) and keep the tail for errors.
  let tail = '';
  const log = process.env.BENCH_SERVER_LOG ? join(process.env.BENCH_SERVER_LOG, `${name}.log`) : null;
  const keep = (c) => {
    tail = (tail + c.toString()).slice(-4000);
    if (log) appendFileSync(log, c);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { name, pid: child.pid, child, tail: () => tail };
}

/**
 * `taskset` + `nice` + node: every thread of the server (V8 and libuv helpers too) starts on the
 * server CPU at the server priority, so load from other work on the machine is kept out.
 */
function launch(script, args, { cpus, nice, cwd, env, inspectPort, nodeArgs = [] }) {
  const node = [process.execPath, ...(inspectPort ? [`--inspect-port=127.0.0.1:${inspectPort}`] : []), ...nodeArgs, script, ...args];
  const child = spawn('taskset', ['-c', cpus, 'nice', '-n', String(nice), ...node], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  prioritiseGroup(child.pid, nice);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/**
 * Linux autogroups share the CPU fairly between sessions before nice values count, so a nice
 * value alone does little against other sessions' work. Each child runs in a session of its own
 * (detached) and that session's group gets the same nice value.
 */
export function prioritiseGroup(pid, nice) {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return true;
  } catch {
    return false;
  }
}

const live = new Set();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startPeer(kind, port, paperFile, { cpus, nice, inspectPort }, nodeArgs = []) {
  const child = launch(join(ROOT, 'bench/collab/peer-server.mjs'), [kind, String(port), paperFile], { cpus, nice, cwd: join(ROOT, 'bench'), env: process.env, inspectPort, nodeArgs });
  const ready = waitForLine(child, /ready \d+/, 30_000, kind);
  const server = track(child, kind);
  await ready;
  server.inspectPort = inspectPort;
  server.url = kind === 'y-socket.io' ? `http://127.0.0.1:${port}` : `ws://127.0.0.1:${port}`;
  server.stop = () => stopChild(child);
  return server;
}

export async function startTandem(port, { cpus, nice, inspectPort }, env = {}, nodeArgs = []) {
  const dbName = `tandem_bench_${randomBytes(5).toString('hex')}`;
  await admin(`create database "${dbName}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const child = launch(join(ROOT, 'api/dist/main.js'), [], {
    cpus,
    nice,
    inspectPort,
    nodeArgs,
    cwd: join(ROOT, 'api'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: url.toString(),
      SEED_DEMO: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      SESSION_SECRET: randomBytes(36).toString('base64url'),
      WEB_BUILD_DIR: '',
      LOG_LEVEL: 'warn',
      // The memory step creates 1,000 documents from one session: the REST limit (burst 200) is
      // for people, not for the harness.
      API_RATE_PER_MINUTE: '0',
      ...env,
    },
  });
  const server = track(child, 'tandem');
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${origin}/health/ready`, 90_000, child);
  } catch (error) {
    child.kill('SIGKILL');
    await admin(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
    throw new Error(`${error.message}\n${server.tail()}`);
  }
  server.inspectPort = inspectPort;
  server.url = origin;
  server.dbName = dbName;
  server.cookie = await login(origin, 'pm@demo.tandem');
  server.createDoc = (title) => createDoc(origin, server.cookie, title);
  server.dbCpuMs = () => postgresCpuMs(dbName);
  // PostgreSQL does Tandem's durable work: its backends get the server's priority (not its CPU).
  server.prioritiseDb = () => postgresRenice(dbName, nice);
  server.dbQuery = async (sql, params) => {
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows;
    } finally {
      await c.end();
    }
  };
  server.stop = async () => {
    await stopChild(child);
    await admin(`drop database if exists "${dbName}" with (force)`);
  };
  return server;
}

async function waitForHttp(url, timeoutMs, child) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`tandem exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`tandem did not become ready in ${timeoutMs} ms`);
}

async function login(origin, email) {
  const res = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'demo-password' }) });
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? '']).map((c) => c.split(';')[0]).join('; ');
  if (!cookie) throw new Error('sign-in returned no cookie');
  return cookie;
}

async function createDoc(origin, cookie, title) {
  const res = await fetch(`${origin}/api/v1/programs/QA/docs`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ kind: 'plan', title }) });
  if (res.status !== 201) throw new Error(`creating a doc failed: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

/** CPU of the PostgreSQL backends serving the bench database (Tandem's extra process cost). */
async function postgresCpuMs(dbName) {
  const { rows } = await admin(`select pid from pg_stat_activity where datname = '${dbName}'`);
  return rows.reduce((sum, r) => sum + (cpuMs(r.pid) ?? 0), 0);
}

async function postgresRenice(dbName, nice) {
  const { rows } = await admin(`select pid from pg_stat_activity where datname = '${dbName}'`);
  for (const r of rows) spawnSync('renice', ['-n', String(nice), '-p', String(r.pid)], { stdio: 'ignore' });
}

function stopChild(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
