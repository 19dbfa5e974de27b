#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ROOT, SERVER_KINDS } from './clients.mjs';
import { combineRounds, fanOut, firstSync, memoryPerDoc, Workers } from './harness.mjs';
import { freePort } from '../lib/net.mjs';
import { PAPER_FILE, paperState } from './paper.mjs';
import { machine } from './proc.mjs';
import { render } from './report.mjs';
import { startPeer, startTandem } from './servers.mjs';

/**
 * Tandem's co-editing server against Hocuspocus, y-websocket and y-socket.io: one harness, the
 * same load, the same machine, one run. `node bench/collab/run.mjs [--quick] [--servers=a,b]
 * [--scenarios=100x50,500x10] [--duration=6] [--rounds=2] [--docs=1000] [--workers=2] [--probes=2] [--profile[=dir]] [--node-args='--trace-gc']
 * [--tandem-env=NAME=value,...]`.
 * Writes bench/collab/last-run.json and last-run.md (tables for bench/RESULTS.md).
 */
const args = Object.fromEntries(process.argv.slice(2).map((a) => /^--([^=]+)(?:=(.*))?$/.exec(a) ?? [a, a, undefined]).map(([, k, v]) => [k, v ?? true]));
const quick = Boolean(args.quick);

const config = {
  servers: args.servers ? String(args.servers).split(',') : SERVER_KINDS,
  // 500 × 200 is left out: ~100,000 deliveries/s is more than real providers on this machine can
  // receive, so it would measure the load generator (pass --scenarios to try it).
  scenarios: (args.scenarios ? String(args.scenarios) : quick ? '10x50,100x50,100x200' : '10x50,10x200,100x50,100x200,500x10,500x50')
    .split(',')
    .map((s) => s.split('x').map(Number))
    .map(([editors, rate]) => ({ editors, rate })),
  // Seconds of edits per round; each scenario runs `rounds` rounds per server.
  durationMs: Number(args.duration ?? (quick ? 4 : 6)) * 1000,
  rounds: Number(args.rounds ?? (quick ? 1 : 2)),
  drainMs: quick ? 5000 : 15_000,
  syncTrials: Number(args.trials ?? (quick ? 2 : 5)),
  idleDocs: Number(args.docs ?? (quick ? 100 : 1000)),
  workers: Number(args.workers ?? 2),
  // Editors that run alone in one more process (see Workers): 0 to leave them out.
  probes: Number(args.probes ?? 2),
  // Two cores. The server under test is pinned to CPU 0 at nice -20; the load generators may use
  // both CPUs at nice -10, so they take CPU 1 and whatever the server leaves of CPU 0 without
  // delaying it much (weights 88761 vs 9548). PostgreSQL (Tandem's storage) floats at the
  // server's priority. Both are far above other work on a shared machine (nice 0, weight 1024).
  server: { cpus: String(args['server-cpus'] ?? '0'), nice: Number(args['server-nice'] ?? -20) },
  clients: { cpus: String(args['client-cpus'] ?? '0,1'), nice: Number(args['client-nice'] ?? -10) },
  // e.g. --tandem-env=COLLAB_UPDATES_PER_SECOND=500; --profile writes each server's CPU profile.
  tandemEnv: Object.fromEntries(String(args['tandem-env'] ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  serverNodeArgs: [
    ...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${typeof args.profile === 'string' ? args.profile : join(tmpdir(), 'tandem-bench-prof')}`] : []),
    ...(args['node-args'] ? String(args['node-args']).split(' ') : []),
  ],
};

for (const [path, hint] of [
  [join(ROOT, 'bench/node_modules/@hocuspocus/server'), 'cd bench && npm ci'],
  [join(ROOT, 'api/dist/main.js'), 'npm run build (the api and libs/collab-protocol)'],
  [join(ROOT, 'libs/collab-protocol/dist/index.js'), 'npm run build'],
]) {
  if (!existsSync(path)) {
    console.error(`missing ${path}: run \`${hint}\` first`);
    process.exit(1);
  }
}

const log = (...m) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...m);
const startedAt = new Date();
const info = machine();
log(`machine: ${info.nproc} × ${info.cpuModel}, ${info.memoryGb} GB, Node ${info.node}, load ${info.loadavg}`);

const paper = paperState();
log(`automerge-paper: ${paper.transactions} transactions → ${paper.length} chars, ${paper.state.length} bytes of Yjs state`);

const servers = [];
const workers = new Workers(config.workers, { ...config.clients, probes: config.probes });
// What Tandem was measured: the built api, which may hold uncommitted work.
const git = (...a) => spawnSync('git', ['-C', ROOT, ...a], { encoding: 'utf8' }).stdout.trim();
const tandemBuild = { commit: git('rev-parse', '--short', 'HEAD'), uncommittedCollab: git('status', '--porcelain', 'api/src/collab', 'libs/collab-protocol/src') !== '', distBuiltAt: statSync(join(ROOT, 'api/dist/main.js')).mtime.toISOString() };
const results = { machine: info, tandemBuild, startedAt: startedAt.toISOString(), command: `node bench/collab/run.mjs ${process.argv.slice(2).join(' ')}`.trim(), config, fanOut: [], firstSync: [], memory: [] };

async function main() {
  for (const kind of config.servers) {
    log(`starting ${kind}`);
    // Ports nothing holds (the kernel's pick), for the server and for its inspector (the memory step's forced GC).
    const [port, inspectPort] = [await freePort(), await freePort()];
    const placement = { ...config.server, inspectPort };
    servers.push(kind === 'tandem' ? await startTandem(port, placement, config.tandemEnv, config.serverNodeArgs) : await startPeer(kind, port, PAPER_FILE, placement, config.serverNodeArgs));
  }
  await workers.start();

  // Fan-out: scenario by scenario, every server in turn, in rounds; the order is rotated so no
  // server always runs first or last while the machine's background load drifts, and each
  // server's rounds are merged.
  for (const [si, scenario] of config.scenarios.entries()) {
    const rounds = new Map(servers.map((s) => [s.name, []]));
    for (let round = 0; round < config.rounds; round++) {
      const order = servers.map((_, i) => servers[(i + si + round) % servers.length]);
      for (const server of order) {
        const r = await fanOut(server, workers, { ...scenario, durationMs: config.durationMs, drainMs: config.drainMs });
        rounds.get(server.name).push(r);
      }
    }
    for (const server of servers) {
      const r = combineRounds(rounds.get(server.name));
      log(`${scenario.editors} editors × ${scenario.rate} edits/s on ${server.name}: p50 ${r.latency.p50?.toFixed(1)} ms, p99 ${r.latency.p99?.toFixed(1)} ms, lost ${r.lost}, cpu ${r.serverCpuPct.toFixed(0)}%, ${r.cpuPerUpdateUs?.toFixed(1)} µs/update (${r.systemPerUpdateUs?.toFixed(1)} in the kernel), ${r.writesPerUpdate?.toFixed(2)} writes/update${r.saved ? `, saved p99 ${r.saved.p99?.toFixed(1)} ms` : ''}, load-gen loop p99 ${r.clientLoopP99Ms.toFixed(0)} ms`);
      results.fanOut.push(r);
    }
  }
  for (const server of servers) {
    log(`first sync on ${server.name}`);
    const r = await firstSync(server, workers, paper, config.syncTrials);
    log(`  cold ${r.cold.median.toFixed(0)} ms, warm ${r.warm.median.toFixed(0)} ms`);
    results.firstSync.push(r);
  }
  // --docs=0 skips the memory step (there is nothing to divide by).
  for (const server of config.idleDocs > 0 ? servers : []) {
    log(`memory: ${config.idleDocs} idle docs on ${server.name}`);
    const r = await memoryPerDoc(server, workers, config.idleDocs);
    log(`  ${r.perDocKb.toFixed(1)} KB per open document`);
    results.memory.push(r);
  }
  results.finishedAt = new Date().toISOString();
  results.loadavgAfter = machine().loadavg;
}

// Ctrl-C: stop the servers (and drop Tandem's database) rather than leave them running.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    log(`${signal}: stopping the servers`);
    for (const s of servers) await s.stop().catch(() => undefined);
    workers.stop();
    process.exit(130);
  });
}

try {
  await main();
  const out = join(ROOT, 'bench/collab');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'last-run.json'), JSON.stringify(results, null, 2));
  writeFileSync(join(out, 'last-run.md'), render(results));
  console.log(`\n${render(results)}`);
  log('wrote bench/collab/last-run.json and last-run.md');
} catch (error) {
  console.error(error);
  for (const s of servers) console.error(`--- ${s.name} output tail ---\n${s.tail()}`);
  process.exitCode = 1;
} finally {
  workers.stop();
  for (const s of servers) await s.stop().catch((e) => console.error(`stopping ${s.name}: ${e.message}`));
}
