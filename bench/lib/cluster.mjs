// The pieces of a two-node Tandem deployment on this machine, for bench/faults and bench/load:
// PostgreSQL (a fresh database on the shared server, or a throw-away cluster of our own that may
// be stopped), a redis-server of our own on a free port (so it can be killed), api nodes run as
// production runs them (`node api/dist/main.js`), and the TCP load balancer (lb.mjs) in front.
// Every process started here is killed when the bench exits.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The app under test: this checkout's build, or BENCH_APP_ROOT — another tree laid out the same
 * way (api/dist, the libs' dist, node_modules), e.g. a copy of a commit installed and built as
 * infra/Dockerfile does, so other work in this checkout cannot change it mid-run.
 */
export const APP_ROOT = process.env.BENCH_APP_ROOT ?? ROOT;
export const MAIN = join(APP_ROOT, 'api', 'dist', 'main.js');
const requireFromApi = createRequire(join(APP_ROOT, 'api', 'package.json'));
export const pg = requireFromApi('pg');
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const PASSWORD = 'demo-password';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const children = new Set();
function cleanup() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // gone already
    }
  }
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

export { freePort } from './net.mjs';

function track(child, logFile) {
  children.add(child);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  let tail = '';
  const keep = (c) => {
    tail = (tail + c.toString()).slice(-8000);
    if (logFile) appendFileSync(logFile, c);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { exited, tail: () => tail };
}

export async function query(url, sql, params) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database on the shared server (never stopped by the bench); dropped by `drop()`. */
export async function freshDatabase(adminUrl = ADMIN_URL) {
  const name = `tandem_faults_${randomBytes(4).toString('hex')}`;
  await query(adminUrl, `create database "${name}"`);
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => query(adminUrl, `drop database if exists "${name}" with (force)`),
  };
}

function pgBin(tool) {
  const dirs = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1']).stdout.toString().trim();
  return dirs ? join(dirs, tool) : tool;
}

/**
 * A PostgreSQL cluster of our own (initdb into a temp dir, its own port and socket directory),
 * so the run can stop it with `pg_ctl -m immediate` without touching the shared server on 5432.
 * initdb refuses to run as root: the cluster belongs to the `postgres` system user.
 */
export async function privateCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres']).stdout.toString());
    const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString());
    chownSync(dir, uid, gid);
  }
  const command = (tool, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', pgBin(tool), ...args]] : [pgBin(tool), args]);
  const runSync = (tool, args) => {
    const [cmd, full] = command(tool, args);
    const r = spawnSync(cmd, full, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  // Asynchronous, so the editors in this process keep running while PostgreSQL stops and starts.
  const run = (tool, args) =>
    new Promise((resolve, reject) => {
      const [cmd, full] = command(tool, args);
      const child = spawn(cmd, full, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${tool} ${args.join(' ')} failed: ${out}`))));
    });
  runSync('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=100`;
  const cluster = {
    dir,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version: '',
    start: () => run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']),
    /** immediate: the server processes exit at once, no checkpoint (like a crash); recovery on start */
    stopImmediate: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    destroy: () => {
      try {
        runSync('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  process.on('exit', () => {
    try {
      cluster.destroy();
    } catch {
      // best effort
    }
  });
  cluster.version = (await query(cluster.url, 'show server_version'))[0].server_version;
  return cluster;
}

/** redis-server of our own: no persistence, on a free port, killable and restartable on that port. */
export async function startRedis(port) {
  port ??= await freePort();
  const redis = { port, url: `redis://127.0.0.1:${port}`, child: null, version: '' };
  redis.start = async () => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const t = track(child);
    redis.child = child;
    redis.exited = t.exited;
    const deadline = Date.now() + 10_000;
    while (!/Ready to accept connections/.test(t.tail())) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server did not start:\n${t.tail()}`);
      await sleep(50);
    }
  };
  redis.kill = async () => {
    redis.child.kill('SIGKILL');
    await redis.exited;
  };
  redis.cli = (...args) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout;
  await redis.start();
  redis.version = /redis_version:(\S+)/.exec(redis.cli('info', 'server'))?.[1] ?? '?';
  return redis;
}

/**
 * One api node: `node api/dist/main.js` with production settings. `env` adds or overrides
 * (MIGRATE_ON_START, SEED_DEMO, REDIS_URL…). `start()` resolves once /health/ready answers 200.
 */
export function apiNode({ name, port, env, logDir, inspectPort = null }) {
  const node = { name, port, url: `http://127.0.0.1:${port}`, child: null, pid: null, starts: 0, inspectPort };
  node.start = async () => {
    const logFile = logDir ? join(logDir, `${name}.log`) : null;
    if (logFile) appendFileSync(logFile, `\n=== start ${new Date().toISOString()} ===\n`);
    // --inspect-port only sets the port: the inspector opens on SIGUSR1 (heap(), below).
    const child = spawn(process.execPath, [...(inspectPort ? [`--inspect-port=127.0.0.1:${inspectPort}`] : []), MAIN], {
      cwd: APP_ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        WEB_BUILD_DIR: '',
        LOG_LEVEL: 'log',
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const t = track(child, logFile);
    node.child = child;
    node.pid = child.pid;
    node.exited = t.exited;
    node.tail = t.tail;
    node.starts += 1;
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode) throw new Error(`${name} exited during start:\n${t.tail()}`);
      try {
        if ((await fetch(`${node.url}/health/ready`)).status === 200) return node;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${name} was not ready within 90 s:\n${t.tail()}`);
      await sleep(100);
    }
  };
  node.signal = async (signal) => {
    if (!node.child || node.child.exitCode !== null || node.child.signalCode) return { code: node.child?.exitCode, signal: node.child?.signalCode };
    node.child.kill(signal);
    return node.exited;
  };
  node.rss = () => rssBytes(node.pid);
  node.heap = () => heapAfterGc(node);
  return node;
}

/**
 * process.memoryUsage() of a node right after a full garbage collection, through the inspector
 * (opened with SIGUSR1 on the node's --inspect-port): tells a growing JS heap from memory the
 * process keeps but no longer uses.
 */
async function heapAfterGc(node) {
  if (!node.inspectPort) throw new Error(`${node.name} was started without an inspect port`);
  process.kill(node.pid, 'SIGUSR1');
  const WebSocket = requireFromApi('ws');
  let target;
  for (let i = 0; i < 50 && !target; i++) {
    try {
      target = (await (await fetch(`http://127.0.0.1:${node.inspectPort}/json/list`)).json())[0];
    } catch {
      await sleep(100);
    }
  }
  if (!target) throw new Error(`${node.name}: the inspector did not open`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const mine = ++id;
      const onMessage = (data) => {
        const msg = JSON.parse(data.toString());
        if (msg.id !== mine) return;
        ws.off('message', onMessage);
        if (msg.error) reject(new Error(msg.error.message));
        else resolve(msg.result);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id: mine, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const r = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const m = JSON.parse(r.result.value);
    const mib = (x) => Math.round((x / 2 ** 20) * 10) / 10;
    return { rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), heapTotalMiB: mib(m.heapTotal), externalMiB: mib(m.external), arrayBuffersMiB: mib(m.arrayBuffers) };
  } finally {
    ws.close();
  }
}

/** The load balancer (lb.mjs) as a process of its own, so client work never stalls it. */
export async function startLbProcess(backends, port) {
  port ??= await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bench/lib/lb.mjs'), String(port), ...backends], { stdio: ['ignore', 'pipe', 'pipe'] });
  const t = track(child);
  const deadline = Date.now() + 10_000;
  while (!/lb listening/.test(t.tail())) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`lb did not start:\n${t.tail()}`);
    await sleep(20);
  }
  return { port, url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGKILL') };
}

/**
 * Caddy as infra/Caddyfile configures it (same directives), with the two upstreams replaced by the
 * local nodes, its own port, and the admin endpoint off. Debian's `caddy` package (2.6.x).
 */
export async function startCaddy(backends, port) {
  port ??= await freePort();
  const source = readFileSync(join(ROOT, 'infra/Caddyfile'), 'utf8');
  if (!/reverse_proxy api-a:3000 api-b:3000/.test(source)) throw new Error('infra/Caddyfile no longer names api-a:3000 api-b:3000');
  const config = `{\n\tadmin off\n\tauto_https off\n}\n` + source.replace('reverse_proxy api-a:3000 api-b:3000', `reverse_proxy ${backends.join(' ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-caddy-'));
  const file = join(dir, 'Caddyfile');
  writeFileSync(file, config);
  const child = spawn('caddy', ['run', '--adapter', 'caddyfile', '--config', file], {
    env: { ...process.env, TANDEM_SITE_ADDRESS: `:${port}`, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const t = track(child, process.env.BENCH_CADDY_LOG ?? null);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`caddy exited:\n${t.tail()}`);
    try {
      if ((await fetch(`${url}/health/live`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`caddy did not answer:\n${t.tail()}`);
    await sleep(100);
  }
  const version = spawnSync('caddy', ['version']).stdout.toString().trim().split(' ')[0];
  return { port, url, pid: child.pid, version, stop: () => child.kill('SIGKILL') };
}

export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export async function signIn(base, email) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('tandem_session='));
  if (!cookie) throw new Error(`sign-in as ${email}: no session cookie`);
  return cookie;
}

export async function createDoc(base, cookie, title, program = 'QA') {
  const res = await fetch(`${base}/api/v1/programs/${program}/docs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: base },
    body: JSON.stringify({ kind: 'plan', title }),
  });
  if (res.status !== 201) throw new Error(`creating a doc: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

/** What the machine and its software are, for the results. */
export function machine() {
  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?';
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  const nproc = spawnSync('nproc').stdout.toString().trim();
  const redis = spawnSync('redis-server', ['--version']).stdout.toString().match(/v=(\S+)/)?.[1] ?? '?';
  const [l1, l5] = loadavg();
  return { date: new Date().toISOString(), nproc: Number(nproc), cpu, memoryGiB: Math.round(memKb / 1024 / 1024), node: process.version, redis, loadavg: [Math.round(l1 * 10) / 10, Math.round(l5 * 10) / 10], app: APP_ROOT };
}

export function ensureDir(dir) {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  return dir;
}
