#!/usr/bin/env node
// Portfolio benchmark: latency of GET /api/v1/portfolio at a fixed request rate (autocannon), for
// an admin who sees every program and a member who sees about twenty, plus one program's
// milestones; and the server-side time of the SQL one portfolio request sends (EXPLAIN ANALYZE).
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_large npm run bench:portfolio
//   options: --rate 200 --duration 30 --connections 50 --sql-only --load-only
//            --out file.json (default bench/portfolio/last-run.json); TANDEM_MAIN=path/to/main.js runs another build
//            --no-priority: do not run the app at nice -20 and autocannon at nice -10
//            --quiet 300: before each load run, wait up to 300 s for the machine to be quiet
//            --writes 2: status updates per second during the last run (0: leave it out; they stay in the database)
//            --identity: ask for uncompressed answers (by default the load sends `Accept-Encoding: gzip, deflate, br`, as browsers do)
//            --mode paced|burst|both (default both): how the rate is made, see `paced` below
//            --only milestones|portfolio|floor[,…]: run only the targets whose name contains one of the words (SQL capture and load);
//              "floor" (GET /api/v1/auth/me: what any signed-in request costs) runs only when named
//
// Needs the built api (npm run build) and a database filled by `npm run seed:large`.
// Writes bench/portfolio/last-run.json. A benchmark, not a test: nothing here runs in `npm test`.
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, setPriority, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { MAIN, ROOT, getJson, machineCpu, postgresCpu, prioritiseSession, processCpu, processesCpu, signIn, startApp, waitForQuiet } from './app.mjs';
import { captureQueries, explainQueries, label, summarise } from './sql.mjs';

/** The statements as last-run.json keeps them: long id lists (500 uuids) shortened. */
const shorten = (text) => text?.replace(/'\{[0-9a-f,-]{200,}\}'/g, (ids) => `'{…${ids.split(',').length} ids…}'`);
const kept = (explained) =>
  explained.map(({ sql, rows, executionMs, fastestExecutionMs, planningMs, roundTripMs, plan }) => ({ label: label(sql), rows, executionMs, fastestExecutionMs, planningMs, roundTripMs, sql: shorten(sql), plan: shorten(plan) }));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RATE = arg('rate', 200);
const DURATION = arg('duration', 30);
const CONNECTIONS = arg('connections', 50);
const QUIET_WAIT = arg('quiet', 0);
const WRITES = arg('writes', 2);
// What a browser sends; fetch() sends gzip and deflate of its own accord, and autocannon nothing.
const ENCODING = process.argv.includes('--identity') ? 'identity' : 'gzip, deflate, br';
// On a shared machine the app (nice -20) and the load generator (nice -10) go before other work;
// PostgreSQL stays the shared service it is. --no-priority: everything at the default priority.
const PRIORITY = !process.argv.includes('--no-priority');
const APP_NICE = PRIORITY ? -20 : null;
if (PRIORITY) {
  setPriority(-10);
  prioritiseSession(process.pid, -10);
  process.once('exit', () => prioritiseSession(process.pid, 0));
}
const TARGET_P99_MS = 50;
const MODE_ARG = process.argv.includes('--mode') ? process.argv[process.argv.indexOf('--mode') + 1] : 'both';
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
/** Whether a target (a load run's or an SQL capture's name) is wanted under --only; the floor only when named. */
const wanted = (name) => (ONLY ? ONLY.some((word) => name.includes(word)) : !name.includes('floor'));
const MODES = MODE_ARG === 'both' ? ['paced', 'burst'] : [MODE_ARG];
if (!MODES.every((m) => m === 'paced' || m === 'burst')) {
  console.error('--mode is paced, burst or both');
  process.exit(2);
}

/**
 * RATE requests a second, evenly spaced: RATE autocannon clients of one connection each, one
 * request a second, started 1000/RATE ms apart (open loop: a slow answer does not hold back the
 * next arrival). autocannon's own `overallRate` ("burst") is different: each of its connections
 * sends its share of the second back to back from the start of every second, so the server sees
 * CONNECTIONS requests at once, then a pause — its latencies are those of a CONNECTIONS-deep queue.
 */
async function paced(url, headers) {
  const latencies = [];
  let non2xx = 0;
  let bytes = 0;
  const runs = [];
  for (let i = 0; i < RATE; i++) {
    runs.push(
      new Promise((resolve, reject) => {
        const instance = autocannon({ url, headers, connections: 1, overallRate: 1, duration: DURATION }, (error, result) => (error ? reject(error) : resolve(result)));
        instance.on('response', (_client, statusCode, resBytes, responseTime) => {
          latencies.push(responseTime);
          bytes += resBytes;
          if (statusCode < 200 || statusCode > 299) non2xx += 1;
        });
      }),
    );
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
  const results = await Promise.all(runs);
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.max(0, Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1))] ?? 0;
  const round = (v) => Math.round(v * 100) / 100;
  return {
    latency: { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(at(1)), average: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)) },
    requests: { average: round(latencies.length / DURATION), total: latencies.length },
    throughput: { average: Math.round(bytes / DURATION) },
    errors: results.reduce((a, r) => a + r.errors, 0),
    timeouts: results.reduce((a, r) => a + r.timeouts, 0),
    non2xx,
  };
}
const ADMIN = 'admin@demo.tandem';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required (a database filled by `npm run seed:large`).');
  process.exit(2);
}
if (!existsSync(MAIN)) {
  console.error(`${MAIN} is missing: build the api first (npm run build)`);
  process.exit(2);
}

const client = new pg.Client({ connectionString: url });
await client.connect();
const programs = Number((await client.query('select count(*) from program where archived_at is null')).rows[0].count);
if (programs < 100) {
  console.error(`Only ${programs} programs in this database: fill it with \`npm run seed:large\` first.`);
  process.exit(2);
}
// The member whose portfolio is closest to twenty programs, and a program with a full plan.
const member = (
  await client.query(
    `select u.email, count(*)::int as programs from program_member pm join "user" u on u.id = pm.user_id join program p on p.id = pm.program_id
     where u.org_role = 'member' and u.active and p.archived_at is null group by u.email order by abs(count(*) - 20), u.email limit 1`,
  )
).rows[0];
const programKey = (await client.query(`select p.key from program p where p.archived_at is null order by (select count(*) from milestone m where m.program_id = p.id) desc, p.key limit 1`)).rows[0].key;

const machine = {
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  node: process.version,
  postgres: (await client.query('show server_version')).rows[0].server_version,
  date: new Date().toISOString(),
};
console.log('machine', machine);
const result = { main: MAIN, machine, settings: { priority: PRIORITY, rate: RATE, durationSeconds: DURATION, connections: CONNECTIONS, modes: MODES, only: ONLY, targetP99Ms: TARGET_P99_MS }, member, programKey };

if (!process.argv.includes('--load-only')) result.sql = await measureSql();
if (!process.argv.includes('--sql-only')) result.load = await measureLoad();
await client.end();

const outFile = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : join(ROOT, 'bench', 'portfolio', 'last-run.json');
writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
console.log(`\nwritten to ${outFile}`);

/** Which statements one portfolio request sends, and what each costs inside PostgreSQL. */
async function measureSql() {
  const out = {};
  for (const [who, email] of [['admin', ADMIN], ['member', member.email]]) {
    if (!wanted('portfolio') && who !== 'admin') continue; // the milestones are read as the admin
    const app = await startApp(url, { extraEnv: { DB_DEBUG: '1' } }); // a fresh process: nothing cached yet
    try {
      const cookie = await signIn(app, email);
      out[who] = { email };
      // The first request computes every program's numbers; the next finds them cached.
      for (const phase of wanted('portfolio') ? ['cold', 'warm'] : []) {
        const explained = await explainQueries(client, await captureQueries(app, '/api/v1/portfolio', cookie));
        const summary = summarise(explained);
        console.log(`\nSQL of one ${phase} portfolio request as ${who} (${email}): ${summary.statements} statements, ${summary.rowsToNode} rows to Node`);
        console.table(explained.map((q) => ({ statement: label(q.sql), rows: q.rows, 'exec ms': q.executionMs?.toFixed(2), 'fastest exec ms': q.fastestExecutionMs?.toFixed(2), 'plan ms': q.planningMs?.toFixed(2), 'round trip ms': q.roundTripMs?.toFixed(2) })));
        console.log(`sum: execution ${summary.executionMs.toFixed(2)} ms (fastest runs ${summary.fastestExecutionMs.toFixed(2)} ms; portfolio's own ${summary.portfolioExecutionMs.toFixed(2)} ms), planning ${summary.planningMs.toFixed(2)} ms, round trips ${summary.roundTripMs.toFixed(2)} ms`);
        out[who][phase] = { summary, statements: kept(explained) };
      }
      if (who === 'admin' && wanted('milestones')) {
        const path = `/api/v1/programs/${programKey}/milestones`;
        const explained = await explainQueries(client, await captureQueries(app, path, cookie));
        const summary = summarise(explained);
        console.log(`\nSQL of one request for ${path}: ${summary.statements} statements, execution ${summary.executionMs.toFixed(2)} ms (fastest runs ${summary.fastestExecutionMs.toFixed(2)} ms), round trips ${summary.roundTripMs.toFixed(2)} ms`);
        console.table(explained.map((q) => ({ statement: label(q.sql), rows: q.rows, 'exec ms': q.executionMs?.toFixed(2), 'round trip ms': q.roundTripMs?.toFixed(2) })));
        out.milestones = { path, summary, statements: kept(explained) };
      }
    } finally {
      await app.stop();
    }
  }
  return out;
}

/** Fixed-rate load against each endpoint in turn, after a warm-up; CPU of the app and of PostgreSQL. */
async function measureLoad() {
  const app = await startApp(url, { nice: APP_NICE });
  const out = {};
  try {
    const admin = await signIn(app, ADMIN);
    const mine = await signIn(app, member.email);
    const targets = [
      ['portfolio as admin', '/api/v1/portfolio', admin],
      ['portfolio as member', '/api/v1/portfolio', mine],
      ['milestones of one program', `/api/v1/programs/${programKey}/milestones`, admin],
      ['floor: who am I (auth/me)', '/api/v1/auth/me', admin],
      // Every status update changes its program's row: the portfolio recomputes that one program.
      [`portfolio as admin, ${WRITES} status updates/s`, '/api/v1/portfolio', admin, WRITES],
    ];
    const keys = (await client.query('select key from program where archived_at is null order by key')).rows.map((r) => r.key);
    for (const [target, path, cookie, writes = 0] of targets) for (const mode of MODES) {
      const name = `${target} · ${mode}`;
      if ((name.includes('status updates') && !writes) || !wanted(name)) continue;
      const body = await getJson(app, path, cookie);
      const sequential = [];
      for (let i = 0; i < 40; i++) {
        const started = performance.now();
        await (await fetch(`${app.base}${path}`, { headers: { cookie, 'accept-encoding': ENCODING } })).arrayBuffer(); // read, not parsed: as autocannon does
        if (i >= 10) sequential.push(performance.now() - started);
      }
      sequential.sort((a, b) => a - b);
      const quiet = QUIET_WAIT ? await waitForQuiet(0.3, QUIET_WAIT) : null;
      const backends = async () => (await client.query('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rows.map((r) => r.pid);
      const before = processesCpu(await backends());
      const cpu = { app: processCpu(app.pid), postgres: postgresCpu(), self: process.cpuUsage(), machine: machineCpu() };
      const load = loadavg()[0];
      let written = 0;
      const writer = writes
        ? setInterval(() => {
            const key = keys[(written * 7919) % keys.length];
            const health = ['on_track', 'at_risk', 'off_track'][written++ % 3];
            fetch(`${app.base}/api/v1/programs/${key}/updates`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ health, narrative: 'Benchmark update' }) })
              .then((res) => res.status === 201 || console.error(`status update: ${res.status}`))
              .catch((error) => console.error(error));
          }, 1000 / writes)
        : null;
      const headers = { cookie, 'accept-encoding': ENCODING };
      const run =
        mode === 'paced'
          ? await paced(`${app.base}${path}`, headers)
          : await autocannon({ url: `${app.base}${path}`, headers, connections: CONNECTIONS, overallRate: RATE, duration: DURATION });
      if (writer) clearInterval(writer);
      const appCpu = (processCpu(app.pid) - cpu.app) / DURATION;
      const pgCpu = (postgresCpu() - cpu.postgres) / DURATION;
      // the app's own backends: those serving this database (a backend that started meanwhile counts whole)
      const after = processesCpu(await backends());
      const ownPgCpu = [...after].reduce((sum, [pid, seconds]) => sum + seconds - (before.get(pid) ?? 0), 0) / DURATION;
      const self = process.cpuUsage(cpu.self);
      const loadgenCpu = (self.user + self.system) / 1e6 / DURATION;
      const machine = machineCpu();
      const busyCpu = (machine.busy - cpu.machine.busy) / DURATION;
      const r = {
        path,
        mode,
        connections: mode === 'paced' ? RATE : CONNECTIONS,
        acceptEncoding: ENCODING,
        writesPerSecond: writes,
        writes: written,
        items: body.items?.length ?? null,
        unloadedMedianMs: sequential[Math.floor(sequential.length / 2)],
        latencyMs: { p50: run.latency.p50, p90: run.latency.p90, p99: run.latency.p99, max: run.latency.max, mean: run.latency.average },
        throughput: { requestsPerSecond: run.requests.average, total: run.requests.total, bytesPerSecond: run.throughput.average },
        errors: run.errors,
        timeouts: run.timeouts,
        non2xx: run.non2xx,
        // postgres: every PostgreSQL process, also other databases'; others: whatever else ran meanwhile
        cpuCores: Object.fromEntries(
          Object.entries({ machine: busyCpu, app: appCpu, postgres: pgCpu, appBackends: ownPgCpu, loadGenerator: loadgenCpu, others: busyCpu - appCpu - pgCpu - loadgenCpu }).map(([k, v]) => [k, Math.round(v * 100) / 100]),
        ),
        quietBefore: quiet,
        /** CPU the app spent per request served: what the rate costs, whatever else runs on the machine */
        appCpuMsPerRequest: Math.round(((appCpu * DURATION * 1000) / Math.max(1, run.requests.total)) * 100) / 100,
        postgresCpuMsPerRequest: Math.round(((ownPgCpu * DURATION * 1000) / Math.max(1, run.requests.total)) * 100) / 100,
        loadAverageBefore: load,
      };
      r.pass = r.latencyMs.p99 <= TARGET_P99_MS && r.errors === 0 && r.non2xx === 0 && r.throughput.requestsPerSecond >= RATE * 0.95;
      out[name] = r;
      console.log(`\n${name} (${path}${r.items === null ? '' : `, ${r.items} items`}): unloaded median ${r.unloadedMedianMs.toFixed(1)} ms`);
      console.log(
        `  ${RATE} req/s × ${DURATION} s: p50 ${r.latencyMs.p50} ms, p90 ${r.latencyMs.p90} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms; ` +
          `${r.throughput.requestsPerSecond} req/s achieved, ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx; ` +
          `CPU (cores) app ${r.cpuCores.app} (${r.appCpuMsPerRequest} ms a request), its PostgreSQL backends ${r.cpuCores.appBackends} (${r.postgresCpuMsPerRequest} ms a request), all PostgreSQL ${r.cpuCores.postgres}, autocannon ${r.cpuCores.loadGenerator}, everything else ${r.cpuCores.others} → ${r.pass ? 'PASS' : 'FAIL'} (p99 ≤ ${TARGET_P99_MS} ms)`,
      );
    }
  } finally {
    await app.stop();
  }
  return out;
}
