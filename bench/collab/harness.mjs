import { fork } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './clients.mjs';
import { cpus as cpuList } from 'node:os';
import { WebSocket } from 'ws';
import { cpuMs, cpuSplitMs, machineTicks, median, rssKb, summarizeUs, syscalls } from './proc.mjs';
import { prioritiseGroup } from './servers.mjs';

/**
 * The measurements themselves, the same for every server: fan-out under load, first sync of the
 * automerge-paper document, and memory per idle open document. Load comes from worker processes
 * (worker.mjs) on the client CPUs.
 */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The load-generator processes: `count` that hold the editors, and with `probes` one more that
 * holds that many editors alone — clients that get every update as soon as their process does,
 * not after the dozens of other clients a load generator applies it to first, as a person's own
 * browser would. Their fan-out and `saved` latencies are reported beside everyone's.
 */
export class Workers {
  constructor(count, { cpus, nice, probes = 0 }) {
    this.list = [];
    this.count = count;
    this.probes = probes;
    this.cpus = cpus;
    this.nice = nice;
    this.seq = 0;
  }

  async start() {
    for (let i = 0; i < this.count + (this.probes ? 1 : 0); i++) {
      // taskset + nice in front of node, so every thread of the worker gets the client CPUs and priority.
      const child = fork(join(ROOT, 'bench/collab/worker.mjs'), [], {
        cwd: join(ROOT, 'bench'),
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execPath: 'taskset',
        execArgv: ['-c', this.cpus, 'nice', '-n', String(this.nice), process.execPath, ...(process.env.BENCH_WORKER_NODE_ARGS ? process.env.BENCH_WORKER_NODE_ARGS.split(' ') : [])],
        detached: true,
      });
      prioritiseGroup(child.pid, this.nice);
      const pending = new Map();
      // A worker that goes away fails what was asked of it instead of crashing the orchestrator.
      child.on('error', () => undefined);
      child.on('exit', () => {
        for (const p of pending.values()) p.reject(new Error(`worker ${i} exited`));
        pending.clear();
      });
      child.on('message', (m) => {
        if (m.ready) return;
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(new Error(`worker ${i}: ${m.error}`));
      });
      await new Promise((r) => child.once('message', r));
      this.list.push({ child, pending });
    }
  }

  call(i, cmd, args) {
    const w = this.list[i];
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      if (!w.child.connected) return reject(new Error(`worker ${i} is gone`));
      w.pending.set(id, { resolve, reject });
      w.child.send({ id, cmd, args });
    });
  }

  /** The load generators (not the probe process). */
  all(cmd, argsFor) {
    return Promise.all(this.list.slice(0, this.count).map((_, i) => this.call(i, cmd, argsFor(i))));
  }

  /** Every process, the probe one (index `count`) included. */
  each(cmd, argsFor) {
    return Promise.all(this.list.map((_, i) => this.call(i, cmd, argsFor(i))));
  }

  cpuMs() {
    return this.list.reduce((s, w) => s + (cpuMs(w.child.pid) ?? 0), 0);
  }

  stop() {
    for (const w of this.list) w.child.kill();
  }

}

/** Clients 0..n-1, dealt round-robin to the workers; with `probes`, clients 0..probes-1 go to a last share of their own. */
function deal(n, workers, probes = 0) {
  const ids = Array.from({ length: n }, (_, i) => i);
  const dealt = Array.from({ length: workers }, (_, w) => ids.slice(probes).filter((i) => (i - probes) % workers === w));
  return probes ? [...dealt, ids.slice(0, probes)] : dealt;
}

export async function fanOut(server, workers, { editors, rate, durationMs, drainMs }) {
  const docName = server.createDoc ? await server.createDoc(`bench ${editors}x${rate}`) : `fan-${editors}x${rate}-${Date.now()}`;
  // Probes only where they leave most editors to the load generators.
  const probes = workers.probes && editors >= 4 * workers.probes ? workers.probes : 0;
  const shares = deal(editors, workers.count, probes);
  if (workers.probes) shares[workers.count] ??= []; // the probe process idles in a scenario too small for it
  const conn = await workers.each('connect', (w) => ({ kind: server.name, url: server.url, cookie: server.cookie, ids: shares[w], docNames: shares[w].map(() => docName) }));
  await server.prioritiseDb?.();
  await sleep(1000); // let join-time traffic settle before the window opens
  const before = { at: performance.now(), split: cpuSplitMs(server.pid), io: syscalls(server.pid), cpu: cpuMs(server.pid), db: (await server.dbCpuMs?.()) ?? 0, clients: workers.cpuMs(), machine: machineTicks() };
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssKb(server.pid) ?? 0)), 250);
  const runs = await workers.each('run', (w) => ({ rate: (rate * shares[w].length) / editors, durationMs }));
  const totalSent = runs.reduce((s, r) => s + r.sent, 0);
  const drains = await workers.each('drain', () => ({ totalSent, timeoutMs: drainMs }));
  clearInterval(sampler);
  const after = { at: performance.now(), split: cpuSplitMs(server.pid), io: syscalls(server.pid), cpu: cpuMs(server.pid), db: (await server.dbCpuMs?.()) ?? 0, clients: workers.cpuMs(), machine: machineTicks() };
  const parts = await workers.each('collect', () => ({ totalSent }));
  await workers.each('close', () => ({}));
  const probe = probes ? parts[workers.count] : null;
  await sleep(1000); // rooms unload before the next server's turn

  return {
    server: server.name,
    editors,
    rate,
    sent: totalSent,
    connectMs: Math.max(...conn.map((c) => c.connectMs)),
    lat: concat(parts.map((p) => p.latencies)),
    ...deliverySpread(parts.map((p) => p.spread)),
    probeLat: probe?.latencies ?? new Float64Array(0),
    probeSavedLat: probe?.saved ?? new Float64Array(0),
    probes,
    savedLat: concat(parts.map((p) => p.saved)),
    expected: parts.reduce((s, p) => s + p.expected, 0),
    received: parts.reduce((s, p) => s + p.received, 0),
    unsaved: parts.reduce((s, p) => s + p.unsaved, 0),
    fingerprintsEqual: new Set(parts.flatMap((p) => p.fingerprints)).size === 1,
    drained: drains.every((d) => d.complete),
    windowMs: after.at - before.at,
    serverCpuMs: after.cpu - before.cpu,
    serverWrites: after.io.writes - before.io.writes,
    serverSystemMs: after.split.system - before.split.system,
    serverReads: after.io.reads - before.io.reads,
    dbCpuMs: after.db - before.db,
    clientCpuMs: after.clients - before.clients,
    busyTicks: after.machine.busy - before.machine.busy,
    totalTicks: after.machine.total - before.machine.total,
    clientLoopP99Ms: Math.max(...parts.map((p) => p.eventLoopP99Ms ?? 0)),
    rssMb: rssMax / 1024,
  };
}

/**
 * Per edit, the first and the last of its deliveries over all workers: the first is the path
 * sender → server → one client; last − first is how long the whole fan-out took.
 */
function deliverySpread(perWorker) {
  const edits = new Map();
  for (const entries of perWorker) {
    for (const [key, [first, last]] of entries) {
      const seen = edits.get(key);
      if (!seen) edits.set(key, [first, last]);
      else edits.set(key, [Math.min(seen[0], first), Math.max(seen[1], last)]);
    }
  }
  const all = [...edits.values()];
  return { firstLat: Float64Array.from(all, (e) => e[0]), lastLat: Float64Array.from(all, (e) => e[1]) };
}

/** One scenario on one server, from its rounds (run at different times, merged). */
export function combineRounds(rounds) {
  const sum = (key) => rounds.reduce((s, r) => s + r[key], 0);
  const first = rounds[0];
  const windowMs = sum('windowMs');
  const received = sum('received');
  const expected = sum('expected');
  const serverCpuMs = sum('serverCpuMs');
  const dbCpuMs = sum('dbCpuMs');
  // Jiffies count every CPU: busy/total is the machine's busy share. What the bench's own
  // processes did not use of it was other work on the machine.
  const machineBusy = sum('busyTicks') / sum('totalTicks');
  const ownMs = serverCpuMs + dbCpuMs + sum('clientCpuMs');
  return {
    server: first.server,
    editors: first.editors,
    rate: first.rate,
    rounds: rounds.length,
    sent: sum('sent'),
    connectMs: Math.max(...rounds.map((r) => r.connectMs)),
    latency: summarizeUs(concat(rounds.map((r) => r.lat))),
    firstDelivery: summarizeUs(concat(rounds.map((r) => r.firstLat))),
    lastDelivery: summarizeUs(concat(rounds.map((r) => r.lastLat))),
    probes: first.probes ?? 0,
    probeLatency: first.probes ? summarizeUs(concat(rounds.map((r) => r.probeLat))) : null,
    probeSaved: first.probes && first.server === 'tandem' ? summarizeUs(concat(rounds.map((r) => r.probeSavedLat))) : null,
    saved: first.server === 'tandem' ? summarizeUs(concat(rounds.map((r) => r.savedLat))) : null,
    expected,
    received,
    lost: expected - received,
    unsaved: sum('unsaved'),
    statesEqual: rounds.every((r) => r.fingerprintsEqual),
    drained: rounds.every((r) => r.drained),
    windowMs,
    serverCpuMs,
    serverCpuPct: (serverCpuMs / windowMs) * 100,
    dbCpuMs,
    cpuPerUpdateUs: received ? (serverCpuMs * 1000) / received : null,
    cpuWithDbPerUpdateUs: received ? ((serverCpuMs + dbCpuMs) * 1000) / received : null,
    writesPerUpdate: received ? sum('serverWrites') / received : null,
    systemPerUpdateUs: received ? (sum('serverSystemMs') * 1000) / received : null,
    readsPerEdit: sum('sent') ? sum('serverReads') / sum('sent') : null,
    clientCpuPct: (sum('clientCpuMs') / windowMs) * 100,
    clientLoopP99Ms: Math.max(...rounds.map((r) => r.clientLoopP99Ms)),
    rssMb: Math.max(...rounds.map((r) => r.rssMb)),
    othersCpuPct: Math.max(0, machineBusy * cpuList().length * 100 - (ownMs / windowMs) * 100),
  };
}

function concat(arrays) {
  const out = new Float64Array(arrays.reduce((s, a) => s + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/**
 * First sync of the automerge-paper document: cold (the server has not opened it: it loads it
 * from its storage) and warm (another client holds it open). Each cold trial uses a document
 * never opened before; one untimed trial first warms the code paths.
 */
export async function firstSync(server, workers, paper, trials) {
  const names = [];
  for (let i = 0; i < trials + 2; i++) {
    if (server.createDoc) {
      const id = await server.createDoc(`paper ${i}`);
      const r = await workers.call(0, 'seed', { kind: server.name, url: server.url, cookie: server.cookie, docName: id, state: paper.state });
      if (!r.ok) throw new Error('seeding the paper document failed');
      names.push(id);
    } else {
      names.push(`paper-${i}-${Date.now()}`);
    }
  }
  if (server.dbQuery) await waitForCompaction(server, names);
  const sync = (docName) => workers.call(0, 'firstSync', { kind: server.name, url: server.url, cookie: server.cookie, docName, length: paper.length });
  await sync(names[0]);
  const cold = [];
  for (let i = 1; i <= trials; i++) cold.push(await sync(names[i]));
  const warmDoc = names[trials + 1];
  await workers.call(1 % workers.count, 'connect', { kind: server.name, url: server.url, cookie: server.cookie, ids: [0], docNames: [warmDoc] });
  await sleep(500);
  const warm = [];
  for (let i = 0; i < trials; i++) warm.push(await sync(warmDoc));
  await workers.call(1 % workers.count, 'close', {});
  await sleep(1000);
  const pick = (rs, key) => ({ median: median(rs.map((r) => r[key])), max: Math.max(...rs.map((r) => r[key])) });
  return { server: server.name, trials, cold: pick(cold, 'totalMs'), coldAfterConnect: pick(cold, 'afterConnectMs'), warm: pick(warm, 'totalMs'), warmAfterConnect: pick(warm, 'afterConnectMs') };
}

/** Tandem: the seeded docs must be folded into snapshots (their rooms closed) before timing. */
async function waitForCompaction(server, ids) {
  const t0 = Date.now();
  while (Date.now() - t0 < 60_000) {
    const rows = await server.dbQuery('select count(*)::int as n from doc_snapshot where doc_id = any($1::uuid[])', [ids]);
    const log = await server.dbQuery('select count(*)::int as n from doc_update where doc_id = any($1::uuid[])', [ids]);
    if (rows[0].n === ids.length && log[0].n === 0) return;
    await sleep(200);
  }
  throw new Error('seeded paper documents were not compacted within 60 s');
}

/** RSS delta per open document: `docs` documents, one client each, idle after a short edit. */
export async function memoryPerDoc(server, workers, docs) {
  const names = [];
  for (let i = 0; i < docs; i += 10) {
    const batch = Array.from({ length: Math.min(10, docs - i) }, (_, j) => (server.createDoc ? server.createDoc(`idle ${i + j}`) : Promise.resolve(`idle-${i + j}-${Date.now()}`)));
    names.push(...(await Promise.all(batch)));
  }
  await sleep(2000);
  const baseline = await steadyRss(server);
  const shares = deal(docs, workers.count);
  const paragraph = 'Pilot wave: QA scorecards go live at two sites; leads calibrate weekly and report drift. ';
  await workers.all('connect', (w) => ({ kind: server.name, url: server.url, cookie: server.cookie, ids: shares[w], docNames: shares[w].map((i) => names[i]), paragraph }));
  await sleep(4000);
  const loaded = await steadyRss(server);
  await workers.all('close', () => ({}));
  await sleep(2000);
  return { server: server.name, docs, baselineMb: baseline / 1024, loadedMb: loaded / 1024, perDocKb: (loaded - baseline) / docs };
}

/** RSS after a full garbage collection (forced through the inspector), median of three. */
async function steadyRss(server) {
  const samples = [];
  for (let i = 0; i < 3; i++) {
    await collectGarbage(server);
    await sleep(300);
    samples.push(rssKb(server.pid) ?? 0);
  }
  return median(samples);
}

/**
 * Every server is started with --inspect-port; SIGUSR1 opens its inspector, and
 * HeapProfiler.collectGarbage runs a full GC, so RSS compares live memory, not GC timing.
 */
async function collectGarbage(server) {
  if (!server.inspectorUrl) {
    process.kill(server.pid, 'SIGUSR1');
    for (let i = 0; i < 50 && !server.inspectorUrl; i++) {
      await sleep(100);
      try {
        const list = await (await fetch(`http://127.0.0.1:${server.inspectPort}/json/list`)).json();
        server.inspectorUrl = list[0]?.webSocketDebuggerUrl;
      } catch {
        // not open yet
      }
    }
    if (!server.inspectorUrl) throw new Error(`could not open the inspector of ${server.name}`);
  }
  const ws = new WebSocket(server.inspectorUrl);
  await new Promise((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
    ws.on('message', (m) => JSON.parse(String(m)).id === 1 && resolve());
    ws.once('error', reject);
  });
  ws.close();
}
