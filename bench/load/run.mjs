#!/usr/bin/env node
// API load through the load balancer (a benchmark, not a test; not in CI): autocannon on the
// portfolio and milestone routes of a large generated organisation, against one api node and
// then two, each behind bench/lib/lb.mjs, plus one node without the balancer for its overhead.
//
//   npm run build
//   npm run bench:load -- [--duration=20] [--connections=20] [--rounds=2] [--quiet=120] [--keep-db]
//                         [--database=postgres://…/tandem_large]   # reuse a filled database
// BENCH_APP_ROOT as in bench/faults (README there).
//
// Without --database it creates a fresh database on the shared PostgreSQL and fills it with
// bench/portfolio/seed-large.mjs (500 programs, 10,000 milestones…). Redis is a redis-server of
// its own, as in production with two nodes. Writes bench/load/last-run.json and last-run.md.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ADMIN_URL, APP_ROOT, ROOT, apiNode, ensureDir, freePort, freshDatabase, machine, query, signIn, sleep, startLbProcess, startRedis } from '../lib/cluster.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    connections: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    quiet: { type: 'string', default: '0' },
    database: { type: 'string' },
    'keep-db': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/load/last-run') },
  },
});
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
const LOG_DIR = ensureDir(join(ROOT, 'bench/load/logs'));
const log = (...a) => console.log(new Date().toISOString().slice(11, 23), ...a);
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function run(cmd, argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${argv.join(' ')} exited with ${code}`))));
  });
}

/** Busy share of the whole machine over `ms`, in cores (other work makes the numbers noisy). */
async function busyCores(ms) {
  const { readFileSync } = await import('node:fs');
  const read = () => {
    const t = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1, 9).map(Number);
    return { idle: t[3] + t[4], total: t.reduce((a, b) => a + b, 0) };
  };
  const a = read();
  await sleep(ms);
  const b = read();
  return round((1 - (b.idle - a.idle) / (b.total - a.total)) * machine().nproc, 2);
}

async function waitQuiet(maxSeconds) {
  const t0 = Date.now();
  for (;;) {
    const busy = await busyCores(5000);
    if (busy <= 0.5 || (Date.now() - t0) / 1000 >= maxSeconds) return { busyCoresBefore: busy, waitedSeconds: Math.round((Date.now() - t0) / 1000) };
  }
}

function cannon(url, cookie, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { cookie, 'accept-encoding': 'gzip, deflate, br' } }, (error, r) => (error ? reject(error) : resolve(r)));
  });
}

// ---------------------------------------------------------------- database
let db = null;
let databaseUrl = args.database;
if (!databaseUrl) {
  db = await freshDatabase();
  databaseUrl = db.url;
  // seed-large.mjs starts the app beside it once (migrations, demo people): with BENCH_APP_ROOT,
  // a copy of bench/portfolio in that tree, so it runs the same app as the measurement.
  const seed = [join(APP_ROOT, 'bench/portfolio/seed-large.mjs'), join(ROOT, 'bench/portfolio/seed-large.mjs')].find(existsSync);
  log(`filling ${db.name} with the large organisation (${seed})`);
  if (!seed) throw new Error('bench/portfolio/seed-large.mjs is missing');
  const t0 = Date.now();
  await run(process.execPath, [seed], { DATABASE_URL: databaseUrl });
  log(`seeded in ${round((Date.now() - t0) / 1000)} s`);
}
const count = async (sql) => Number((await query(databaseUrl, sql))[0].n);
const org = {
  programs: await count('select count(*) as n from program'),
  milestones: await count('select count(*) as n from milestone'),
  checklistItems: await count('select count(*) as n from checklist_item'),
  users: await count('select count(*) as n from "user"'),
};
const programKey = (await query(databaseUrl, 'select p.key from program p order by (select count(*) from milestone m where m.program_id = p.id) desc, p.key limit 1'))[0].key;
const member = (
  await query(
    databaseUrl,
    `select u.email, count(*)::int as programs from program_member pm join "user" u on u.id = pm.user_id
     where u.org_role = 'member' and u.active group by u.email order by abs(count(*) - 20), u.email limit 1`,
  )
)[0];
log(`organisation: ${JSON.stringify(org)}; milestones of ${programKey}; member ${member.email} (${member.programs} programs)`);

// ---------------------------------------------------------------- deployment
const redis = await startRedis();
const common = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_PREFIX: `load-${randomBytes(3).toString('hex')}`, SESSION_SECRET: randomBytes(48).toString('base64url'), LOG_LEVEL: 'warn', API_RATE_PER_MINUTE: '0' }; // one session stands for many users: the per-caller limit would answer 429
const a = apiNode({ name: 'load-a', port: await freePort(), logDir: LOG_DIR, env: { ...common, MIGRATE_ON_START: '1', SEED_DEMO: '0' } });
const b = apiNode({ name: 'load-b', port: await freePort(), logDir: LOG_DIR, env: { ...common, MIGRATE_ON_START: '0', SEED_DEMO: '0' } });
await a.start();
await b.start();
const lbOne = await startLbProcess([`127.0.0.1:${a.port}`]);
const lbTwo = await startLbProcess([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`]);
const admin = await signIn(a.url, 'admin@demo.tandem');
const memberCookie = await signIn(a.url, member.email);

const routes = [
  { name: 'portfolio (admin, every program)', path: '/api/v1/portfolio', cookie: admin },
  { name: `portfolio (member, ${member.programs} programs)`, path: '/api/v1/portfolio', cookie: memberCookie },
  { name: `milestones of ${programKey}`, path: `/api/v1/programs/${programKey}/milestones`, cookie: admin },
];
const setups = [
  { name: 'one node, direct', url: a.url },
  { name: 'one node, through the lb', url: lbOne.url },
  { name: 'two nodes, through the lb', url: lbTwo.url },
];

const results = { machine: { ...machine(), postgres: (await query(ADMIN_URL, 'show server_version'))[0].server_version }, settings: { durationSeconds: DURATION, warmupSeconds: WARMUP, connections: CONNECTIONS }, org, runs: [] };
try {
  for (const route of routes) {
    // Correctness first: the same answer through every path.
    for (const s of setups) {
      const res = await fetch(`${s.url}${route.path}`, { headers: { cookie: route.cookie } });
      if (res.status !== 200) throw new Error(`${s.name} ${route.path}: ${res.status} ${await res.text()}`);
      route.bytes = (await res.arrayBuffer()).byteLength;
    }
    // Rounds, each in another order (a rotation), so drifting background load does not always
    // favour the same setup; the summary takes the median over rounds.
    for (let round_ = 0; round_ < ROUNDS; round_++) {
      for (const s of setups.map((_, i) => setups[(i + round_) % setups.length])) {
        const quiet = Number(args.quiet) ? await waitQuiet(Number(args.quiet)) : { busyCoresBefore: await busyCores(2000) };
        await cannon(`${s.url}${route.path}`, route.cookie, WARMUP);
        const load1 = loadavg()[0];
        const r = await cannon(`${s.url}${route.path}`, route.cookie, DURATION);
        const run = {
          round: round_ + 1, route: route.name, path: route.path, responseBytes: route.bytes, setup: s.name, ...quiet, loadavg1Before: round(load1, 2), loadavg1After: round(loadavg()[0], 2),
          requestsPerSecond: round(r.requests.average), total: r.requests.total, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
          p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: round(r.latency.mean, 2),
        };
        results.runs.push(run);
        log(`${route.name} · ${s.name} (round ${run.round}): ${run.requestsPerSecond} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, non-2xx ${run.non2xx}, errors ${run.errors} (machine busy before: ${run.busyCoresBefore} cores)`);
      }
    }
  }
} finally {
  lbOne.stop();
  lbTwo.stop();
  await Promise.all([a.signal('SIGTERM'), b.signal('SIGTERM')]);
  await redis.kill();
  if (db && !args['keep-db']) await db.drop();
  else if (db) log(`kept ${db.url}`);
}

const median = (xs) => {
  const v = [...xs].sort((x, y) => x - y);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const summary = routes.flatMap((route) =>
  setups.map((s) => {
    const rows = results.runs.filter((r) => r.route === route.name && r.setup === s.name);
    return { route: route.name, setup: s.name, rounds: rows.length, requestsPerSecond: round(median(rows.map((r) => r.requestsPerSecond))), p50: median(rows.map((r) => r.p50)), p99: median(rows.map((r) => r.p99)) };
  }),
);
results.summary = summary;
const md = [
  `Run ${results.machine.date}: ${results.machine.nproc} × ${results.machine.cpu}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}, PostgreSQL ${results.machine.postgres}, Redis ${results.machine.redis}. ` +
    `Organisation: ${org.programs} programs, ${org.milestones} milestones, ${org.checklistItems} checklist items, ${org.users} people. ` +
    `autocannon ${CONNECTIONS} connections, ${WARMUP} s warm-up then ${DURATION} s per row, closed loop (as fast as answers come), ${ROUNDS} round(s) in rotated order.`,
  '',
  '| round | route | setup | req/s | p50 (ms) | p99 (ms) | max (ms) | non-2xx | errors | machine busy before (cores) | load avg 1 min |',
  '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.runs.map((r) => `| ${r.round} | ${r.route} | ${r.setup} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.max} | ${r.non2xx} | ${r.errors} | ${r.busyCoresBefore} | ${r.loadavg1Before} → ${r.loadavg1After} |`),
  '',
  'Median over rounds, and the scaling from one node to two (both through the lb):',
  '',
  '| route | one node direct: req/s, p50 / p99 ms | one node via lb | two nodes via lb | scaling (req/s two ÷ one, via lb) |',
  '|---|---|---|---|---:|',
  ...routes.map((route) => {
    const cell = (name) => {
      const x = summary.find((r) => r.route === route.name && r.setup === name);
      return `${x.requestsPerSecond}, ${x.p50} / ${x.p99}`;
    };
    const one = summary.find((r) => r.route === route.name && r.setup === 'one node, through the lb');
    const two = summary.find((r) => r.route === route.name && r.setup === 'two nodes, through the lb');
    return `| ${route.name} | ${cell('one node, direct')} | ${cell('one node, through the lb')} | ${cell('two nodes, through the lb')} | ×${round(two.requestsPerSecond / one.requestsPerSecond, 2)} |`;
  }),
  '',
];
results.markdown = md.join('\n');
writeFileSync(`${args.out}.json`, JSON.stringify(results, null, 2));
writeFileSync(`${args.out}.md`, results.markdown);
console.log(results.markdown);
process.exit(0);
