#!/usr/bin/env node
// Fault runs (a benchmark, not a test; not in CI): two api nodes + Redis + PostgreSQL on this
// machine behind bench/lib/lb.mjs, 50 editors on 10 documents at 200 edits/s in aggregate.
//
//   npm run build                       # api/dist and libs/collab-protocol/dist
//   npm run bench:faults -- [--scenarios=kill,rolling,redis,postgres,soak] [--seeds=20]
//                           [--lb=caddy] [--control] [--soak-edits=text|map] [--rolling-runs=3] [--redis-runs=3] [--postgres-runs=2] [--minutes=20] [--editors=50] [--docs=10] [--rate=200]
//
// Scenarios (README.md beside this file): kill (SIGKILL one node at a random moment, one run per
// seed), rolling (SIGTERM rolling restart of both nodes), redis (Redis killed for 10 s),
// postgres (a private PostgreSQL cluster stopped with -m immediate for 10 s), soak (--minutes).
// Writes bench/faults/last-run.json and last-run.md; server logs go to bench/faults/logs/.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  ADMIN_URL, ROOT, apiNode, createDoc, ensureDir, freePort, freshDatabase, machine, privateCluster, query, signIn, sleep, startCaddy, startLbProcess, startRedis,
} from '../lib/cluster.mjs';
import { Editor, Y, missingAcked, storedDoc } from '../lib/editors.mjs';
import { report } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    scenarios: { type: 'string', default: 'kill,rolling,redis,postgres,soak' },
    seeds: { type: 'string', default: '20' },
    'first-seed': { type: 'string', default: '1' },
    'rolling-runs': { type: 'string', default: '3' },
    'redis-runs': { type: 'string', default: '3' },
    'postgres-runs': { type: 'string', default: '2' },
    minutes: { type: 'string', default: '20' },
    'soak-edits': { type: 'string', default: 'text' },
    editors: { type: 'string', default: '50' },
    docs: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    lb: { type: 'string', default: 'lb.mjs' },
    control: { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/faults/last-run') },
  },
});
const EDITORS = Number(args.editors);
const DOCS = Number(args.docs);
const RATE = Number(args.rate);
const CONVERGE_LIMIT_MS = 5000;
const LOG_DIR = join(ROOT, 'bench/faults/logs');
rmSync(LOG_DIR, { recursive: true, force: true });
ensureDir(LOG_DIR);

const log = (...a) => console.log(new Date().toISOString().slice(11, 23), ...a);
const now = () => performance.now();

/** Deterministic randomness per seed (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two api nodes on one database and one Redis, behind the load balancer. */
async function deployment(databaseUrl, label) {
  const redis = await startRedis();
  const secret = randomBytes(48).toString('base64url');
  const common = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, REDIS_PREFIX: `faults-${randomBytes(3).toString('hex')}`, SESSION_SECRET: secret };
  const a = apiNode({ name: `${label}-a`, port: await freePort(), inspectPort: await freePort(), logDir: LOG_DIR, env: { ...common, MIGRATE_ON_START: '1', SEED_DEMO: '1' } });
  const b = apiNode({ name: `${label}-b`, port: await freePort(), inspectPort: await freePort(), logDir: LOG_DIR, env: { ...common, MIGRATE_ON_START: '0', SEED_DEMO: '0' } });
  await a.start();
  await b.start();
  const backends = [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`];
  const lb = args.lb === 'caddy' ? await startCaddy(backends) : await startLbProcess(backends);
  const cookies = [await signIn(lb.url, 'pm@demo.tandem'), await signIn(lb.url, 'partner@demo.tandem'), await signIn(lb.url, 'admin@demo.tandem')];
  const dbQuery = (sql, params) => query(databaseUrl, sql, params);
  return {
    redis, nodes: [a, b], lb, cookies, dbQuery, prefix: common.REDIS_PREFIX,
    async stop() {
      lb.stop();
      await Promise.all([a.signal('SIGTERM'), b.signal('SIGTERM')]);
      await redis.kill().catch(() => undefined);
    },
  };
}

/**
 * Fresh documents and editors on them, all synced. Editors 0–4 share document 0, 5–9 document 1…:
 * connections are dealt round-robin over the nodes, so every document has editors on both.
 */
async function editorsOn(dep, { soak = false } = {}) {
  const docIds = [];
  for (let d = 0; d < DOCS; d++) docIds.push(await createDoc(dep.lb.url, dep.cookies[0], `fault run ${d} ${randomBytes(3).toString('hex')}`));
  const editors = Array.from({ length: EDITORS }, (_, i) => new Editor({ index: i, url: dep.lb.url, cookie: dep.cookies[i % dep.cookies.length], docId: docIds[Math.floor((i * DOCS) / EDITORS)], soak }));
  await Promise.all(editors.map((e) => e.open()));
  return { docIds, editors };
}

/**
 * RATE edits per second in aggregate, dealt round-robin over the editors. A 5 ms tick issues
 * whatever the clock says is due, so a busy event loop makes the edits burstier, not fewer.
 * Returns stop(), which reports the rate achieved.
 */
function startEditing(editors) {
  const started = now();
  let done = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((now() - started) * RATE) / 1000);
    while (done < due) editors[done++ % editors.length].edit();
  }, 5);
  return () => {
    clearInterval(timer);
    const seconds = (now() - started) / 1000;
    const edits = editors.reduce((s, e) => s + e.seq, 0);
    return { seconds: round(seconds, 1), edits, ratePerSecond: round(edits / seconds, 1) };
  };
}

const byDoc = (editors) => {
  const groups = new Map();
  for (const e of editors) groups.set(e.docId, [...(groups.get(e.docId) ?? []), e]);
  return [...groups.values()];
};

/** Every editor holds every same-document edit made up to `cut` (editor index → seq). */
function caughtUp(editors, cut) {
  for (const group of byDoc(editors)) for (const e of group) for (const f of group) if (f !== e && !e.has(f, cut.get(f.index))) return false;
  return true;
}

/** Same state on every editor of a document, and every editor's own edits saved. */
function converged(editors) {
  for (const group of byDoc(editors)) {
    const sv = group[0].stateVector();
    for (const e of group) if (!e.saved || e.stateVector() !== sv) return false;
  }
  return true;
}

async function waitFor(check, timeoutMs, stepMs = 50) {
  const t0 = now();
  while (now() - t0 < timeoutMs) {
    if (check()) return round(now() - t0, 0);
    await sleep(stepMs);
  }
  return null;
}

/** Checks every acknowledged edit against PostgreSQL alone, document by document. */
async function verifyStored(dep, editors) {
  if (args.control) {
    // Negative control: remove the newest stored update of the first document, so the check has
    // something to find (compaction may have folded it into the snapshot: then the log row goes).
    const docId = editors[0].docId;
    const removed = await dep.dbQuery('delete from doc_update where id = (select max(id) from doc_update where doc_id = $1) returning id', [docId]);
    log(`control: removed ${removed.length} doc_update row(s) of ${docId}`);
  }
  let lost = 0;
  const examples = [];
  let storedEdits = 0;
  for (const group of byDoc(editors)) {
    const doc = await storedDoc(dep.dbQuery, group[0].docId);
    storedEdits += doc.getMap('edits').size;
    for (const e of group) {
      const missing = missingAcked(e, doc);
      lost += missing.length;
      if (missing.length && examples.length < 5) examples.push({ editor: e.index, doc: e.docId, missing: missing.slice(0, 5) });
    }
    doc.destroy();
  }
  const acked = editors.reduce((s, e) => s + e.acked, 0);
  const made = editors.reduce((s, e) => s + e.seq, 0);
  return { made, acked, lost, storedEntries: storedEdits, examples };
}

function clientEvents(editors) {
  const sum = { connects: 0, connectErrors: 0, saved: 0, disconnects: {}, closing: {}, refused: {} };
  for (const e of editors) {
    sum.connects += e.events.connects;
    sum.connectErrors += e.events.connectErrors;
    sum.saved += e.events.saved;
    for (const k of ['disconnects', 'closing', 'refused']) for (const [r, n] of Object.entries(e.events[k])) sum[k][r] = (sum[k][r] ?? 0) + n;
  }
  return sum;
}

const cutNow = (editors) => new Map(editors.map((e) => [e.index, e.seq]));
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Finishes a run: stop editing, wait for convergence, check PostgreSQL, close the editors. */
async function finish(dep, editors, stopEditing, { convergeTimeoutMs = 60_000 } = {}) {
  const editing = stopEditing();
  const cut = cutNow(editors);
  const t0 = now();
  const caughtUpMs = await waitFor(() => caughtUp(editors, cut), convergeTimeoutMs);
  const settled = await waitFor(() => converged(editors), convergeTimeoutMs);
  // Both from the last edit: every edit everywhere (caught up), then identical and saved (converged).
  const convergedMs = caughtUpMs === null || settled === null ? null : round(now() - t0, 0);
  const stored = await verifyStored(dep, editors);
  const unsaved = editors.filter((e) => !e.saved).length;
  // Who did not get there, and in what state (for diagnosis).
  const stuck = editors
    .filter((e) => !e.saved || !caughtUp(editors.filter((f) => f.docId === e.docId), cut))
    .slice(0, 5)
    .map((e) => ({
      editor: e.index, connected: e.socket.connected, status: e.provider.status, refusal: e.provider.refusal, unsaved: e.provider.unsavedChanges, seq: e.seq, acked: e.acked,
      events: e.events, timeline: e.timeline.slice(-6).map((x) => `${x.what}@${Math.round(x.t - t0)}`),
    }));
  const events = clientEvents(editors);
  for (const e of editors) e.close();
  return { editing, caughtUpMs, convergedMs, convergedFromLastEdit: true, unsavedEditors: unsaved, stuck, stored, events };
}

// ---------------------------------------------------------------- scenarios

async function scenarioKill(seeds) {
  const db = await freshDatabase();
  const dep = await deployment(db.url, 'kill');
  const runs = [];
  try {
    for (const seed of seeds) {
      const random = rng(seed);
      for (const n of dep.nodes) {
        if (n.child && n.child.exitCode === null && !n.child.signalCode) continue;
        await n.start();
        // Caddy's active health check (every 5 s) has to see the node again before it gets connections.
        if (args.lb === 'caddy') await sleep(6000);
      }
      const { editors } = await editorsOn(dep);
      const editSeconds = 10;
      const killAt = 2000 + random() * 6000;
      const victim = dep.nodes[random() < 0.5 ? 0 : 1];
      const stopEditing = startEditing(editors);
      await sleep(killAt);
      const killT = now();
      await victim.signal('SIGKILL');
      await sleep(Math.max(0, editSeconds * 1000 - killAt));
      const result = await finish(dep, editors, stopEditing);
      // The editors that lost their node, and when the last of them was synced again (from the kill).
      const outages = editors.map((e) => e.outageAfter(killT)).filter(Boolean);
      const reconnectedMs = outages.some((o) => o.backMs === null) ? null : round(Math.max(0, ...outages.map((o) => o.backMs)), 0);
      const backMs = outages.map((o) => o.backMs).filter((x) => x !== null).sort((x, y) => x - y);
      const run = {
        seed, victim: victim.name, killAtMs: round(killAt, 0), reconnectedMs, reconnectedEditors: outages.length,
        reconnectedMedianMs: backMs.length ? round(backMs[Math.floor(backMs.length / 2)], 0) : null, ...result,
      };
      runs.push(run);
      log(`kill seed ${seed}: ${victim.name} at ${run.killAtMs} ms; ${run.reconnectedEditors} editors reconnected in ${reconnectedMs} ms; acked ${result.stored.acked}/${result.stored.made}, lost ${result.stored.lost}; converged ${result.convergedMs} ms after the last edit`);
    }
  } finally {
    await dep.stop();
    await db.drop();
  }
  return { scenario: 'kill', runs };
}

async function scenarioRolling(count) {
  const db = await freshDatabase();
  const dep = await deployment(db.url, 'rolling');
  const runs = [];
  try {
    for (let r = 1; r <= count; r++) {
      const { editors } = await editorsOn(dep);
      const stopEditing = startEditing(editors);
      const steps = [];
      await sleep(3000);
      for (const node of dep.nodes) {
        const t0 = now();
        const exit = await node.signal('SIGTERM');
        const stoppedMs = round(now() - t0, 0);
        const t1 = now();
        await node.start();
        steps.push({ node: node.name, exit, stoppedMs, restartedMs: round(now() - t1, 0) });
        await sleep(3000);
      }
      const result = await finish(dep, editors, stopEditing);
      runs.push({ run: r, steps, ...result });
      log(`rolling ${r}: ${JSON.stringify(steps)}; acked ${result.stored.acked}/${result.stored.made}, lost ${result.stored.lost}; events ${JSON.stringify(result.events)}`);
    }
  } finally {
    await dep.stop();
    await db.drop();
  }
  return { scenario: 'rolling', runs };
}

async function scenarioRedis(count) {
  const db = await freshDatabase();
  const dep = await deployment(db.url, 'redis');
  const runs = [];
  try {
    for (let r = 1; r <= count; r++) {
      const run = await redisRun(dep, r);
      runs.push(run);
      log(`redis ${r}: cross-node caught up ${run.crossNodeCaughtUpMs} ms after Redis returned; lost ${run.stored.lost}`);
    }
    return { scenario: 'redis', runs };
  } finally {
    await dep.stop();
    await db.drop();
  }
}

async function redisRun(dep, r) {
  const { editors } = await editorsOn(dep);
  const stopEditing = startEditing(editors);
  await sleep(3000);
  const downT = now();
  await dep.redis.kill();
  log('redis killed');
  const ackedAtKill = editors.reduce((s, e) => s + e.acked, 0);
  await sleep(10_000);
  // Edits made while Redis was down that were acknowledged by now.
  const savedDuringOutage = editors.reduce((s, e) => s + e.ackedAt.filter((a) => a.t > downT).length, 0);
  const ackedDuringOutage = editors.reduce((s, e) => s + e.acked, 0) - ackedAtKill;
  // Did the outage split the documents? Editors lacking a same-document edit made ≥ 2 s ago.
  const old = new Map(editors.map((e) => [e.index, e.createdAt.findLastIndex((t) => t !== undefined && t < now() - 2000)]));
  const behindBeforeReturn = editors.filter((e) => byDoc(editors).find((g) => g.includes(e)).some((f) => f !== e && !e.has(f, Math.max(0, old.get(f.index))))).length;
  await dep.redis.start();
  const upT = now();
  log('redis back');
  const cut = cutNow(editors);
  const crossNodeCaughtUpMs = await waitFor(() => caughtUp(editors, cut), 60_000);
  await sleep(Math.max(0, 7000 - (now() - upT)));
  const result = await finish(dep, editors, stopEditing);
  return {
    run: r, outageMs: round(upT - downT, 0), ackedDuringOutage, savedMessagesDuringOutage: savedDuringOutage, editorsBehindBeforeReturn: behindBeforeReturn,
    crossNodeCaughtUpMs, ...result,
  };
}

async function probeRest(dep, into) {
  for (const [path, auth] of [['/health/ready', false], ['/api/v1/programs', true], ['/health/live', false]]) {
    const t0 = now();
    let entry;
    try {
      const res = await fetch(`${dep.lb.url}${path}`, { headers: auth ? { cookie: dep.cookies[0] } : {}, signal: AbortSignal.timeout(5000) });
      const body = (await res.text()).slice(0, 160);
      entry = { path, status: res.status, retryAfter: res.headers.get('retry-after'), ms: round(now() - t0, 0), body };
    } catch (error) {
      entry = { path, status: 'error', error: String(error.cause?.code ?? error.name ?? error), ms: round(now() - t0, 0) };
    }
    into.push(entry);
  }
}

async function scenarioPostgres(count) {
  const cluster = await privateCluster();
  log(`private PostgreSQL ${cluster.version} on port ${cluster.port} in ${cluster.dir}`);
  await query(cluster.url, 'create database tandem');
  const url = cluster.url.replace(/\/postgres$/, '/tandem');
  const dep = await deployment(url, 'postgres');
  const runs = [];
  try {
    for (let r = 1; r <= count; r++) {
      const run = await postgresRun(dep, cluster, r);
      runs.push(run);
      log(`postgres ${r}: saved while down ${run.savedForEditsMadeWhileDown}; lost ${run.stored.lost}`);
    }
    return { scenario: 'postgres', runs };
  } finally {
    await dep.stop();
    cluster.destroy();
  }
}

async function postgresRun(dep, cluster, r) {
  const { editors } = await editorsOn(dep);
  const stopEditing = startEditing(editors);
  await sleep(3000);
  const t0 = now();
  await cluster.stopImmediate();
  const downT = now();
  log(`postgres stopped (immediate) in ${round(downT - t0, 0)} ms`);
  const probes = [];
  const probeUntil = downT + 10_000;
  while (now() < probeUntil - 500) {
    await probeRest(dep, probes);
    await sleep(Math.min(1000, Math.max(0, probeUntil - now())));
  }
  await sleep(Math.max(0, probeUntil - now()));
  const upStart = now();
  const afterProbes = [];
  let started = false;
  let startedAt = 0;
  const starting = cluster.start().then(() => {
    started = true;
    startedAt = now();
  });
  // REST while PostgreSQL recovers and after: one round a second for 10 s.
  while (now() - upStart < 10_000) {
    const round0 = now();
    const t = round(now() - upStart, 0);
    const batch = [];
    await probeRest(dep, batch);
    afterProbes.push(...batch.map((p) => ({ ...p, atMs: t, postgresReady: started })));
    await sleep(Math.max(0, 1000 - (now() - round0)));
  }
  await starting;
  const upT = startedAt;
  log(`postgres started (pg_ctl -w returned) ${round(upT - upStart, 0)} ms after the start command`);
  // An acknowledgement for an edit made after the stop, received before the start, would be a lie.
  let savedWhileDown = 0;
  let ackMessagesWhileDown = 0;
  let latestAckAfterStopMs = 0;
  for (const e of editors) {
    for (const a of e.ackedAt) {
      if (a.t > downT && a.t < upStart) {
        ackMessagesWhileDown += 1;
        latestAckAfterStopMs = Math.max(latestAckAfterStopMs, a.t - downT);
        if (e.createdAt[a.seq] > t0) savedWhileDown += 1;
      }
    }
  }
  const firstAckAfter = editors.map((e) => e.ackedAt.find((a) => a.t >= upStart)?.t).filter(Boolean);
  const firstSavedAfterStartMs = firstAckAfter.length ? round(Math.min(...firstAckAfter) - upStart, 0) : null;
  await sleep(3000);
  const result = await finish(dep, editors, stopEditing);
  return {
    run: r, postgres: cluster.version, outageMs: round(upStart - downT, 0), stopMs: round(downT - t0, 0), recoveryMs: round(upT - upStart, 0), savedForEditsMadeWhileDown: savedWhileDown, ackMovesWhileDown: ackMessagesWhileDown, latestAckAfterStopMs: round(latestAckAfterStopMs, 0),
    firstSavedAfterStartMs, probesWhileDown: probes, probesAfter: afterProbes, ...result,
  };
}

async function metrics(node) {
  try {
    const res = await fetch(`${node.url}/metrics`, { signal: AbortSignal.timeout(3000) });
    if (res.status !== 200) return { status: res.status };
    const text = await res.text();
    const rooms = text.split('\n').filter((l) => /room/i.test(l) && !l.startsWith('#'));
    return { status: 200, rooms };
  } catch (error) {
    return { status: 'error', error: String(error) };
  }
}

async function scenarioSoak(minutes) {
  const db = await freshDatabase();
  const dep = await deployment(db.url, 'soak');
  try {
    const { editors, docIds } = await editorsOn(dep, { soak: args['soak-edits'] });
    const openRooms = () => {
      const out = dep.redis.cli('pubsub', 'numsub', ...docIds.map((id) => `${dep.prefix}:doc:${id}`)).trim().split('\n');
      let subscriptions = 0;
      for (let i = 1; i < out.length; i += 2) subscriptions += Number(out[i]);
      return subscriptions; // one per node holding the room
    };
    const samples = [];
    const heaps = [];
    const heapNow = async (when) => heaps.push({ when, nodes: await Promise.all(dep.nodes.map((n) => n.heap().catch((e) => ({ error: String(e) })))) });
    const stopEditing = startEditing(editors);
    const t0 = now();
    const total = minutes * 60_000;
    while (now() - t0 < total) {
      await sleep(Math.min(10_000, total - (now() - t0)));
      const s = { t: round((now() - t0) / 1000, 0), rss: dep.nodes.map((n) => n.rss()), openRoomSubscriptions: openRooms() };
      samples.push(s);
      // A full GC, then the heap, once a minute (the GC itself takes a few ms of the node's time).
      if (samples.length % 6 === 0) await heapNow(`${s.t} s`);
      if (samples.length % 6 === 0) log(`soak ${s.t} s: rss ${s.rss.map((r) => Math.round(r / 2 ** 20)).join(' / ')} MiB, room subscriptions ${s.openRoomSubscriptions}`);
    }
    const metricsDuring = await Promise.all(dep.nodes.map(metrics));
    const result = await finish(dep, editors, stopEditing);
    const leftT = now();
    const roomsClosedMs = await waitFor(() => openRooms() === 0, 60_000, 250);
    await heapNow('after the editors left');
    const metricsAfter = await Promise.all(dep.nodes.map(metrics));
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Drift: mean RSS over the last minute against the mean over the second minute (the first is warm-up).
    const window = (from, to) => samples.filter((s) => s.t > from && s.t <= to);
    const base = window(60, 120);
    const end = window(minutes * 60 - 60, minutes * 60);
    const drift = dep.nodes.map((n, i) => {
      const b = mean(base.map((s) => s.rss[i]));
      const e = mean(end.map((s) => s.rss[i]));
      return { node: n.name, baseMiB: round(b / 2 ** 20, 1), endMiB: round(e / 2 ** 20, 1), driftPercent: round(((e - b) / b) * 100, 1), maxMiB: round(Math.max(...samples.map((s) => s.rss[i])) / 2 ** 20, 1) };
    });
    const rssAfterLeaving = dep.nodes.map((n) => round(n.rss() / 2 ** 20, 1));
    return { scenario: 'soak', minutes, soakEdits: args['soak-edits'], drift, heaps, roomsClosedMs, roomSubscriptionsAfter: openRooms(), rssAfterLeavingMiB: rssAfterLeaving, metricsDuring, metricsAfter, sinceLeftMs: round(now() - leftT, 0), samples, ...result };
  } finally {
    await dep.stop();
    await db.drop();
  }
}

// ---------------------------------------------------------------- main

const wanted = args.scenarios.split(',').map((s) => s.trim()).filter(Boolean);
const firstSeed = Number(args['first-seed']);
const seeds = Array.from({ length: Number(args.seeds) }, (_, i) => firstSeed + i);
const pgVersion = (await query(ADMIN_URL, 'show server_version'))[0].server_version;
const results = { machine: { ...machine(), postgres: pgVersion }, settings: { editors: EDITORS, docs: DOCS, rate: RATE, convergeLimitMs: CONVERGE_LIMIT_MS, lb: args.lb }, scenarios: [] };
log(`machine: ${JSON.stringify(results.machine)}`);
const save = () => {
  writeFileSync(`${args.out}.json`, JSON.stringify(results, null, 2));
  writeFileSync(`${args.out}.md`, report(results));
};
for (const name of wanted) {
  log(`scenario ${name}`);
  const loadBefore = machine().loadavg;
  try {
    if (name === 'kill') results.scenarios.push(await scenarioKill(seeds));
    else if (name === 'rolling') results.scenarios.push(await scenarioRolling(Number(args['rolling-runs'])));
    else if (name === 'redis') results.scenarios.push(await scenarioRedis(Number(args['redis-runs'])));
    else if (name === 'postgres') results.scenarios.push(await scenarioPostgres(Number(args['postgres-runs'])));
    else if (name === 'soak') results.scenarios.push(await scenarioSoak(Number(args.minutes)));
    else throw new Error(`unknown scenario ${name}`);
  } catch (error) {
    log(`scenario ${name} failed: ${error.stack ?? error}`);
    results.scenarios.push({ scenario: name, failed: String(error.stack ?? error) });
  }
  Object.assign(results.scenarios.at(-1), { loadavgBefore: loadBefore, loadavgAfter: machine().loadavg });
  save();
}
save();
console.log(report(results));
process.exit(0);
