// Starting the built app for a benchmark, signing in, and reading CPU time from /proc.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/net.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built app; TANDEM_MAIN points elsewhere, e.g. at a build of other code to compare with. */
export const MAIN = process.env.TANDEM_MAIN ? resolve(process.env.TANDEM_MAIN) : join(ROOT, 'api', 'dist', 'main.js');
export const PASSWORD = 'demo-password';


/**
 * `node api/dist/main.js` as production runs it (NODE_ENV=production, a real SESSION_SECRET,
 * LOG_LEVEL=warn), on a free loopback port. `extraEnv` adds settings (DB_DEBUG=1); `nodeArgs`
 * goes before the script (--cpu-prof). Output is kept for whoever needs it (the SQL log).
 */
export async function startApp(databaseUrl, { extraEnv = {}, nodeArgs = [], nice = null } = {}) {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: randomBytes(48).toString('base64url'),
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: '0',
    NO_COLOR: '1',
    // One session stands for many users here: the per-caller limit (20/s by default) stays on, but
    // at a rate no run reaches, so every answer is the endpoint's.
    API_RATE_PER_MINUTE: String(60_000_000),
    API_RATE_BURST: '100000',
    ...extraEnv,
  };
  const node = [process.execPath, ...nodeArgs, MAIN];
  // `nice` in front of node, so every thread of the app (V8's and libuv's too) has the priority;
  // its own session (detached), whose autogroup gets the same value — Linux shares the CPU between
  // sessions first, so a nice value alone means nothing against other sessions' work.
  const child =
    nice === null
      ? spawn(node[0], node.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('nice', ['-n', String(nice), ...node], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (nice !== null) prioritiseSession(child.pid, nice);
  const app = { child, pid: child.pid, base: `http://127.0.0.1:${port}`, output: '', exited: false };
  const orphan = () => child.kill('SIGTERM');
  process.once('exit', orphan);
  child.stdout.on('data', (c) => (app.output += c));
  child.stderr.on('data', (c) => (app.output += c));
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => { app.exited = true; resolve({ code, signal }); }));
  app.stop = async () => {
    process.off('exit', orphan);
    if (!app.exited) child.kill('SIGTERM');
    return exit;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (app.exited) throw new Error(`the app exited during start:\n${app.output}`);
    try {
      if ((await fetch(`${app.base}/health/live`)).ok) return app;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await app.stop();
      throw new Error(`the app did not answer within 60 s:\n${app.output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Signs in and returns the Cookie header value for the session. */
export async function signIn(app, email) {
  const res = await fetch(`${app.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('tandem_session='));
  if (!cookie) throw new Error(`sign-in as ${email}: no session cookie`);
  return cookie;
}

export async function getJson(app, path, cookie) {
  const res = await fetch(`${app.base}${path}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by one process. */
export function processCpu(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** CPU seconds used so far by each of these processes (those that still run). */
export function processesCpu(pids) {
  const out = new Map();
  for (const pid of pids) {
    try {
      out.set(pid, processCpu(pid));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/** CPU seconds used so far by every PostgreSQL process on this machine (server and backends). */
export function postgresCpu() {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (comm.startsWith('postgres')) total += processCpu(pid);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Busy and total CPU time of the whole machine so far, in seconds (all cores). */
export function machineCpu() {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const ticks = cpu.split(/\s+/).slice(1, 9).map(Number);
  const idle = ticks[3] + ticks[4]; // idle + iowait
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS, total: total / TICKS };
}

/**
 * Waits until the machine is quiet — at most `busyCores` of it busy over a five-second window —
 * or `maxSeconds` have passed. Other work on the machine (tests, other benchmarks) makes latency
 * numbers meaningless; the result says how quiet it was.
 */
export async function waitForQuiet(busyCores, maxSeconds) {
  const started = Date.now();
  for (;;) {
    const a = machineCpu();
    await new Promise((r) => setTimeout(r, 5000));
    const b = machineCpu();
    const busy = ((b.busy - a.busy) / (b.total - a.total)) * availableParallelism();
    const waited = Math.round((Date.now() - started) / 1000);
    if (busy <= busyCores || waited >= maxSeconds) return { busyCores: Math.round(busy * 100) / 100, waitedSeconds: waited, quiet: busy <= busyCores };
  }
}

/** Sets the nice value of a process's session (its autogroup); false where Linux does not allow it. */
export function prioritiseSession(pid, nice) {
  try {
    writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return true;
  } catch {
    return false;
  }
}
