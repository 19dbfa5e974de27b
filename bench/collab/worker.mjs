import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadKind } from './clients.mjs';

/**
 * A load-generator process: holds a share of the simulated editors, sends edits at its share of
 * the aggregate rate, and times every edit it receives. Driven by run.mjs over IPC.
 *
 * An edit sets key `sender.seq` to t in the shared Y.Map `bench`, where t is CLOCK_MONOTONIC in
 * µs (process.hrtime is system-wide on Linux, so every process on the machine reads the same
 * clock). A map, not a text: a Y.Text event's delta walks the whole text, which made the load
 * generator, not the server, the bottleneck; a map event names just the keys it changed.
 */
process.setMaxListeners(0); // y-socket.io's provider adds a process 'exit' listener per instance
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let kind = null;
let mod = null;
/** @type {{ id: number, c: any, map: any, sent: number, received: number, savedTs: Map<number, number> }[]} */
let clients = [];
let latencies = [];
/** per edit (key): the earliest and the latest delivery in this worker, µs */
let spread = new Map();
let saved = [];
let elDelay = null;

async function connect({ kind: k, url, docNames, ids, cookie, paragraph, concurrency = 25 }) {
  if (kind !== k) {
    kind = k;
    mod = await loadKind(k);
  }
  const started = nowUs();
  const opened = [];
  for (let i = 0; i < ids.length; i += concurrency) {
    const batch = ids.slice(i, i + concurrency).map((id, j) => openOne(id, url, docNames[i + j], cookie));
    opened.push(...(await Promise.all(batch)));
  }
  clients = opened;
  if (paragraph) {
    for (const cl of clients) cl.c.doc.getText('text').insert(0, paragraph);
  }
  return { connectMs: (nowUs() - started) / 1000 };
}

async function openOne(id, url, docName, cookie) {
  const c = mod.open({ url, docName, cookie });
  await withTimeout(c.synced, 30_000, `client ${id} sync`);
  const map = c.doc.getMap('bench');
  const cl = { id, c, map, sent: 0, received: 0, savedTs: new Map(), docName };
  map.observe((event) => {
    if (event.transaction.local) return;
    const t = nowUs();
    for (const key of event.keysChanged) {
      cl.received += 1;
      const latency = t - map.get(key);
      latencies.push(latency);
      const seen = spread.get(key);
      if (!seen) spread.set(key, [latency, latency]);
      else if (latency < seen[0]) seen[0] = latency;
      else if (latency > seen[1]) seen[1] = latency;
    }
  });
  if (c.savedHook) {
    let pending = 0;
    c.savedHook(
      (n) => {
        if (pending) cl.savedTs.set(n, pending);
        pending = 0;
      },
      (n) => {
        const t = nowUs();
        for (const [k, ts] of cl.savedTs) {
          if (k > n) break;
          saved.push(t - ts);
          cl.savedTs.delete(k);
        }
      },
    );
    cl.markEdit = (ts) => (pending = ts);
  }
  return cl;
}

/**
 * BENCH_WORKER_PROFILE=dir: a CPU profile of each fan-out window (edits and drain, not setup),
 * written as dir/worker-<pid>-<n>.cpuprofile.
 */
const profileDir = process.env.BENCH_WORKER_PROFILE;
let profiler = null;
let profiles = 0;
const post = (method, params) => new Promise((resolve, reject) => profiler.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
async function startProfile() {
  if (!profileDir) return;
  profiler ??= new Session();
  profiler.connect();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
}
async function stopProfile() {
  if (!profiler) return;
  const { profile } = await post('Profiler.stop');
  profiler.disconnect();
  writeFileSync(join(profileDir, `worker-${process.pid}-${++profiles}.cpuprofile`), JSON.stringify(profile));
}

async function run({ rate, durationMs }) {
  await startProfile();
  latencies = [];
  spread = new Map();
  saved = [];
  elDelay = monitorEventLoopDelay({ resolution: 10 });
  elDelay.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let sent = 0;
  let next = 0;
  while (performance.now() - t0 < durationMs) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    while (sent < due) {
      const cl = clients[next];
      next = (next + 1) % clients.length;
      cl.sent += 1;
      const ts = nowUs();
      cl.markEdit?.(ts);
      cl.map.set(`${cl.id}.${cl.sent}`, ts);
      sent += 1;
    }
    await sleep(2);
  }
  const cpu = process.cpuUsage(cpu0);
  return { sent, perClient: clients.map((cl) => cl.sent), cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0 };
}

async function drain({ totalSent, timeoutMs }) {
  const t0 = performance.now();
  const done = () => clients.every((cl) => cl.received >= totalSent - cl.sent) && (!clients[0]?.markEdit || clients.every((cl) => cl.savedTs.size === 0));
  while (!done() && performance.now() - t0 < timeoutMs) await sleep(5);
  elDelay?.disable();
  await stopProfile();
  return { complete: done(), waitedMs: performance.now() - t0 };
}

function collect({ totalSent }) {
  const fingerprints = clients.map((cl) => fingerprint([...cl.map.keys()].sort().map((k) => `${k}=${cl.map.get(k)}`).join(',')));
  const expected = clients.reduce((n, cl) => n + (totalSent - cl.sent), 0);
  const received = clients.reduce((n, cl) => n + cl.received, 0);
  const unsaved = clients.reduce((n, cl) => n + cl.savedTs.size, 0);
  const lagP99 = elDelay ? elDelay.percentile(99) / 1e6 : null;
  return { latencies: Float64Array.from(latencies), spread: [...spread], saved: Float64Array.from(saved), expected, received, unsaved, fingerprints, eventLoopP99Ms: lagP99 };
}

/** Length + FNV-1a of the sorted keys: equal at every client ⇒ the final states agree. */
function fingerprint(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return `${s.length}:${h.toString(16)}`;
}

async function close() {
  for (const cl of clients) cl.c.close();
  clients = [];
  await sleep(200);
  return {};
}

/** Time from creating a client to having the whole document (`paper`, `length` chars). */
async function firstSync({ kind: k, url, docName, cookie, length }) {
  if (kind !== k) {
    kind = k;
    mod = await loadKind(k);
  }
  const t0 = nowUs();
  const c = mod.open({ url, docName, cookie });
  const paper = c.doc.getText('paper');
  let connectedUs = null;
  c.connected.then(() => (connectedUs = nowUs()));
  await withTimeout(
    new Promise((resolve) => {
      if (paper.length === length) return resolve();
      paper.observe(() => paper.length === length && resolve());
    }),
    30_000,
    `first sync of ${docName}`,
  );
  const t1 = nowUs();
  c.close();
  return { totalMs: (t1 - t0) / 1000, afterConnectMs: connectedUs ? (t1 - connectedUs) / 1000 : null };
}

/** Tandem: uploads a state through the normal client path and waits until it is saved. */
async function seed({ kind: k, url, docName, cookie, state }) {
  if (kind !== k) {
    kind = k;
    mod = await loadKind(k);
  }
  const doc = new mod.Y.Doc();
  mod.Y.applyUpdate(doc, state);
  const c = mod.open({ url, docName, cookie, doc });
  let sent = 0;
  let acked = 0;
  c.savedHook?.(
    (n) => (sent = n),
    (n) => (acked = n),
  );
  await withTimeout(c.synced, 60_000, `seeding ${docName}`);
  const t0 = performance.now();
  while ((sent === 0 || acked < sent) && performance.now() - t0 < 60_000) await sleep(10);
  c.close();
  return { ok: acked >= sent && sent > 0 };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))]).finally(() => clearTimeout(timer));
}

const handlers = { connect, run, drain, collect, close, firstSync, seed };
process.on('message', async ({ id, cmd, args }) => {
  try {
    const result = await handlers[cmd](args ?? {});
    process.send({ id, ok: true, result });
  } catch (error) {
    process.send({ id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) });
  }
});
process.on('disconnect', () => process.exit(0)); // the orchestrator is gone
process.on('SIGTERM', () => process.exit(0)); // a normal exit, so --cpu-prof can write
process.send({ ready: true });
