#!/usr/bin/env node
/**
 * What one client library costs its process per received update — the figure that sets fan-out
 * latency once a load generator holds dozens of clients (bench/RESULTS.md, run 7).
 *
 * Two modes, both with `--clients` clients of each kind in this process (pinned to CPU 0) on one
 * document of their server (on CPU 1):
 *
 * - `--mode=replay` (default, the stable one): the same sequence of `--edits` updates (one map
 *   set each) is handed to every client as its WebSocket would hand over the server's message —
 *   the client library's whole receive path, without the kernel or the server. Blocks of
 *   `--block` updates alternate between kinds, so a slower moment of this shared host falls on
 *   both; the result is the median block's CPU time per delivery.
 * - `--mode=live`: one more client of the kind sends `--edits` map sets through the server, one
 *   every `--interval` ms; CPU time (user + system) of this process per delivery, per round,
 *   kinds alternating over `--rounds`. Includes the kernel's receive path; much noisier.
 *
 *   node bench/collab/client-cost.mjs [--kinds=tandem,y-websocket] [--clients=100] [--edits=2000]
 *     [--mode=replay|live] [--block=50] [--warmup=300] [--interval=6] [--rounds=3]
 *
 * Yjs does the same work for every kind; what differs is the client library around it.
 */
import { execFileSync } from 'node:child_process';
import { loadKind } from './clients.mjs';
import { startPeer, startTandem } from './servers.mjs';
import { freePort } from '../lib/net.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const kinds = (args.kinds ?? 'tandem,y-websocket').split(',');
const clientCount = Number(args.clients ?? 100);
const edits = Number(args.edits ?? 2000);
const intervalMs = Number(args.interval ?? 6);
const rounds = Number(args.rounds ?? 3);
const mode = args.mode ?? 'replay';
const block = Number(args.block ?? 50);
const warmup = Number(args.warmup ?? 300);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// This process on CPU 0, the servers on CPU 1: neither takes CPU from the other.
execFileSync('taskset', ['-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

async function measure(kind, server, mod) {
  const docName = server.createDoc ? await server.createDoc(`client cost ${kind}`) : `client-cost-${Date.now()}`;
  const open = async () => {
    const c = mod.open({ url: server.url, docName, cookie: server.cookie });
    await c.synced;
    return c;
  };
  const sender = await open();
  const receivers = [];
  let delivered = 0;
  for (let i = 0; i < clientCount; i += 25) {
    const batch = await Promise.all(Array.from({ length: Math.min(25, clientCount - i) }, open));
    for (const c of batch) {
      c.doc.getMap('bench').observe((event) => {
        if (!event.transaction.local) delivered += event.keysChanged.size;
      });
      receivers.push(c);
    }
  }
  const map = sender.doc.getMap('bench');
  const send = async (n, from) => {
    for (let i = 0; i < n; i++) {
      map.set(`k${from + i}`, i);
      await sleep(intervalMs);
    }
  };
  const drain = async (target) => {
    const until = Date.now() + 30_000;
    while (delivered < target && Date.now() < until) await sleep(5);
    if (delivered < target) throw new Error(`${kind}: ${delivered} of ${target} deliveries`);
  };
  await send(300, 0); // warm up the JIT on every path
  await drain(300 * clientCount);
  delivered = 0;
  global.gc?.();
  const before = process.cpuUsage();
  const t0 = performance.now();
  await send(edits, 300);
  await drain(edits * clientCount);
  const used = process.cpuUsage(before);
  const wallMs = performance.now() - t0;
  for (const c of [sender, ...receivers]) c.close();
  await sleep(500);
  const deliveries = edits * clientCount;
  return { userUs: used.user / deliveries, systemUs: used.system / deliveries, wallMs };
}

const mods = {};
for (const kind of kinds) mods[kind] = await loadKind(kind);
const servers = {};
// A refusal after sync (e.g. a rate limit) surfaces as an unhandled rejection: stop the servers
// (Tandem's drops its database) before leaving, as on Ctrl-C.
const stopAll = async () => {
  for (const s of Object.values(servers)) await s.stop().catch(() => undefined);
};
const bail = (error) => {
  console.error(error);
  void stopAll().finally(() => process.exit(1));
};
process.on('unhandledRejection', bail);
process.on('SIGINT', () => bail('interrupted'));
for (const kind of kinds) {
  const port = await freePort();
  const placement = { cpus: '1', nice: 0 };
  servers[kind] = kind === 'tandem' ? await startTandem(port, placement) : await startPeer(kind, port, '', placement);
  servers[kind].name = kind;
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = kinds.includes('y-websocket') ? 'y-websocket' : kinds[0];
const report = (results, what) => {
  const baseCost = med(results[base]);
  console.log(`\n${clientCount} clients in one process, ${what}:`);
  for (const kind of kinds) {
    const cost = med(results[kind]);
    console.log(`${kind.padEnd(12)} ${cost.toFixed(2)} µs per delivery  (${(cost / baseCost).toFixed(2)}× ${base})`);
  }
};
try {
  if (mode === 'live') {
    const results = Object.fromEntries(kinds.map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? kinds : [...kinds].reverse();
      for (const kind of order) {
        const m = await measure(kind, servers[kind], mods[kind]);
        results[kind].push(m.userUs + m.systemUs);
        console.log(`round ${r + 1} ${kind}: ${(m.userUs + m.systemUs).toFixed(2)} µs per delivery (user ${m.userUs.toFixed(2)}, system ${m.systemUs.toFixed(2)})`);
      }
    }
    report(results, `${edits} edits through the server at one per ${intervalMs} ms, median of ${rounds} rounds`);
  } else {
    const results = await replay();
    report(results, `${edits} updates handed to each client's WebSocket in blocks of ${block}, kinds alternating, median over blocks`);
  }
} finally {
  await stopAll();
}
process.exit(0);

/**
 * Replay: every kind's clients stay connected to their server, and the same sequence of updates
 * (one map set each, made here) is handed to each client as its WebSocket would hand over the
 * server's message — the client library's whole receive path, minus the kernel and the server.
 * Blocks of `block` updates alternate between kinds, so a slower moment of the host falls on both.
 */
async function replay() {
  const setups = {};
  for (const kind of kinds) {
    const server = servers[kind];
    const mod = mods[kind];
    const docName = server.createDoc ? await server.createDoc(`client cost ${kind}`) : `client-cost-${Date.now()}`;
    const receivers = [];
    const counter = { delivered: 0 };
    for (let i = 0; i < clientCount; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, clientCount - i) }, async () => {
          const c = mod.open({ url: server.url, docName, cookie: server.cookie });
          await c.synced;
          return c;
        }),
      );
      for (const c of batch) {
        c.doc.getMap('bench').observe((event) => {
          if (!event.transaction.local) counter.delivered += event.keysChanged.size;
        });
        receivers.push(c);
      }
    }
    // The updates: map sets made by a document that starts from what the clients hold.
    const sender = new mod.Y.Doc();
    mod.Y.applyUpdate(sender, mod.Y.encodeStateAsUpdate(receivers[0].doc));
    const frames = [];
    sender.on('update', (u) => frames.push(receivers[0].frame(u)));
    const map = sender.getMap('bench');
    for (let i = 0; i < warmup + edits; i++) map.set(`k${i}`, i);
    setups[kind] = { receivers, counter, frames, next: 0 };
  }
  const deliver = async (kind, n) => {
    const s = setups[kind];
    const before = s.counter.delivered;
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const frame = s.frames[s.next++];
      for (const r of s.receivers) r.receive(frame);
      await new Promise((r) => setImmediate(r)); // what the clients deferred (socket.io's nextTick) runs
    }
    const used = process.cpuUsage(t);
    if (s.counter.delivered - before !== n * clientCount) throw new Error(`${kind}: ${s.counter.delivered - before} of ${n * clientCount} applied`);
    return (used.user + used.system) / (n * clientCount);
  };
  for (const kind of kinds) await deliver(kind, warmup);
  const results = Object.fromEntries(kinds.map((k) => [k, []]));
  for (let done = 0, b = 0; done < edits; done += block, b++) {
    const order = b % 2 === 0 ? kinds : [...kinds].reverse();
    for (const kind of order) results[kind].push(await deliver(kind, Math.min(block, edits - done)));
  }
  for (const { receivers } of Object.values(setups)) for (const c of receivers) c.close();
  return results;
}
