/**
 * Markdown tables from a run's results: one table per fan-out scenario, first sync, memory,
 * ratios to the best peer of the same run, and the issue's targets with pass/fail.
 */
const f = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toFixed(d));
const PEERS = ['hocuspocus', 'y-websocket', 'y-socket.io'];

function bestPeer(rows, pick) {
  const peers = rows.filter((r) => PEERS.includes(r.server) && pick(r) !== null && pick(r) !== undefined);
  if (!peers.length) return null;
  return peers.reduce((best, r) => (pick(r) < pick(best) ? r : best));
}

function ratio(tandem, peer, pick) {
  if (!tandem || !peer) return null;
  const p = pick(peer);
  return p ? pick(tandem) / p : null;
}

export function render(res) {
  const out = [];
  const m = res.machine;
  out.push(`Run ${res.startedAt.slice(0, 16).replace('T', ' ')} UTC → ${res.finishedAt?.slice(11, 16) ?? '?'} · \`${res.command}\``);
  out.push(`Machine: ${m.nproc} × ${m.cpuModel}, ${m.memoryGb} GB RAM, Node ${m.node}, Linux ${m.kernel}; load average at start ${m.loadavg}, at end ${res.loadavgAfter ?? '?'}.`);
  if (res.tandemBuild) out.push(`Tandem: api/dist built ${res.tandemBuild.distBuiltAt.slice(0, 16).replace('T', ' ')} UTC at commit ${res.tandemBuild.commit}${res.tandemBuild.uncommittedCollab ? ' with uncommitted changes in api/src/collab or libs/collab-protocol' : ''}.`);
  const c = res.config;
  out.push(`Each server pinned to CPU ${c.server.cpus} at nice ${c.server.nice}; ${c.workers} load-generator processes on CPUs ${c.clients.cpus} at nice ${c.clients.nice}; per scenario and server ${c.rounds} round(s) of ${c.durationMs / 1000} s of edits, at different times, merged.`);
  out.push('');

  const scenarios = [...new Set(res.fanOut.map((r) => `${r.editors}x${r.rate}`))];
  for (const key of scenarios) {
    const rows = res.fanOut.filter((r) => `${r.editors}x${r.rate}` === key);
    const [editors, rate] = key.split('x');
    out.push(`#### ${editors} editors × ${rate} edits/s (one document)`);
    out.push('');
    out.push('| server | fan-out p50 ms | p99 ms | max ms | per edit: first / last delivery p50 ms | a client in a process of its own: fan-out p50 / p99 ms (`saved` p50 / p99) | delivered / expected | lost | final states equal | server CPU % | CPU µs per delivered update (+ PostgreSQL) | of which kernel µs | writes per delivered update | server RSS MB | `saved` p50 / p99 ms | PostgreSQL CPU ms | load-gen CPU % | load-gen loop delay p99 ms | other processes CPU % |');
    out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      // † the load generator itself lagged (event-loop delay p99 ≥ 50 ms): the tail is partly its own.
      const bound = r.clientLoopP99Ms >= 50 ? ' †' : '';
      out.push(
        `| ${r.server} | ${f(r.latency.p50)} | ${f(r.latency.p99)}${bound} | ${f(r.latency.max)} | ${r.firstDelivery ? `${f(r.firstDelivery.p50)} / ${f(r.lastDelivery.p50)}` : '–'} | ${r.probeLatency ? `${f(r.probeLatency.p50)} / ${f(r.probeLatency.p99)}${r.probeSaved ? ` (${f(r.probeSaved.p50)} / ${f(r.probeSaved.p99)}, ${r.probeSaved.n} edits)` : ''}` : '–'} | ${r.received} / ${r.expected} | ${r.lost}${r.drained ? '' : ' (not drained)'} | ${r.statesEqual ? 'yes' : '**no**'} | ${f(r.serverCpuPct, 0)} | ${f(r.cpuPerUpdateUs)}${r.server === 'tandem' ? ` (${f(r.cpuWithDbPerUpdateUs)})` : ''} | ${f(r.systemPerUpdateUs)} | ${f(r.writesPerUpdate, 2)} | ${f(r.rssMb, 0)} | ${r.saved ? `${f(r.saved.p50)} / ${f(r.saved.p99)}` : '–'} | ${r.server === 'tandem' ? f(r.dbCpuMs, 0) : '–'} | ${f(r.clientCpuPct, 0)} | ${f(r.clientLoopP99Ms, 0)} | ${f(r.othersCpuPct, 0)} |`,
      );
    }
    const t = rows.find((r) => r.server === 'tandem');
    const p50 = bestPeer(rows, (r) => r.latency.p50);
    const p99 = bestPeer(rows, (r) => r.latency.p99);
    const cpu = bestPeer(rows, (r) => r.cpuPerUpdateUs);
    const yws = rows.find((r) => r.server === 'y-websocket');
    if (rows.some((r) => r.clientLoopP99Ms >= 50)) {
      out.push('');
      out.push('† the load generator lagged (its event-loop delay p99 ≥ 50 ms), so that tail is partly the clients’ own queueing, not the server’s.');
    }
    if (t) {
      out.push('');
      out.push(
        `Tandem ÷ best peer: p50 ${f(ratio(t, p50, (r) => r.latency.p50), 2)}× (${p50?.server ?? '–'}), p99 ${f(ratio(t, p99, (r) => r.latency.p99), 2)}× (${p99?.server ?? '–'}), CPU per update ${f(ratio(t, cpu, (r) => r.cpuPerUpdateUs), 2)}× (${cpu?.server ?? '–'}); CPU per update ÷ y-websocket ${f(ratio(t, yws, (r) => r.cpuPerUpdateUs), 2)}×.`,
      );
    }
    out.push('');
  }

  if (res.firstSync.length) {
    out.push('#### First sync of the automerge-paper document (median of trials; max in brackets)');
    out.push('');
    out.push('| server | cold: create client → whole doc ms | cold, after connect ms | warm: create client → whole doc ms | warm, after connect ms |');
    out.push('|---|---|---|---|---|');
    for (const r of res.firstSync) {
      out.push(`| ${r.server} | ${f(r.cold.median)} (${f(r.cold.max)}) | ${f(r.coldAfterConnect.median)} | ${f(r.warm.median)} (${f(r.warm.max)}) | ${f(r.warmAfterConnect.median)} |`);
    }
    out.push('');
  }
  if (res.memory.length) {
    out.push(`#### Resident memory per idle open document (${res.memory[0].docs} documents, one client each)`);
    out.push('');
    out.push('| server | RSS before MB | RSS with docs open MB | KB per open document |');
    out.push('|---|---|---|---|');
    for (const r of res.memory) out.push(`| ${r.server} | ${f(r.baselineMb)} | ${f(r.loadedMb)} | ${f(r.perDocKb)} |`);
    out.push('');
  }
  out.push(...targets(res));
  return `${out.join('\n')}\n`;
}

function targets(res) {
  const out = ['#### Targets from issue 4', '', '| target | measured | result |', '|---|---|---|'];
  const row = (what, measured, pass) => out.push(`| ${what} | ${measured} | ${pass === null ? 'not measured' : pass ? 'pass' : '**fail**'} |`);
  for (const key of ['100x50', '500x10']) {
    const rows = res.fanOut.filter((r) => `${r.editors}x${r.rate}` === key);
    const t = rows.find((r) => r.server === 'tandem');
    const p50 = bestPeer(rows, (r) => r.latency.p50);
    const p99 = bestPeer(rows, (r) => r.latency.p99);
    const r50 = ratio(t, p50, (r) => r.latency.p50);
    const r99 = ratio(t, p99, (r) => r.latency.p99);
    const [e, rt] = key.split('x');
    row(`fan-out p50 and p99 ≤ 0.9× best peer, 0 lost, at ${e} editors × ${rt} edits/s`, t ? `p50 ${f(r50, 2)}×, p99 ${f(r99, 2)}×, lost ${t.lost}` : '–', t && r50 !== null ? r50 <= 0.9 && r99 <= 0.9 && t.lost === 0 : null);
  }
  const heavy = res.fanOut.find((r) => r.server === 'tandem' && r.editors === 100 && r.rate === 200);
  row('no collapse: p99 < 100 ms at 100 editors × 200 edits/s', heavy ? `p99 ${f(heavy.latency.p99)} ms` : '–', heavy ? heavy.latency.p99 < 100 : null);
  const cpuRatios = [...new Set(res.fanOut.filter((r) => r.editors >= 100).map((r) => `${r.editors}x${r.rate}`))].map((key) => {
    const rows = res.fanOut.filter((r) => `${r.editors}x${r.rate}` === key);
    return { key, r: ratio(rows.find((r) => r.server === 'tandem'), rows.find((r) => r.server === 'y-websocket'), (r) => r.cpuPerUpdateUs) };
  });
  const known = cpuRatios.filter((c) => c.r !== null);
  row('server CPU per delivered update ≤ 0.8× y-websocket (100+ editors)', known.map((c) => `${c.key}: ${f(c.r, 2)}×`).join(', ') || '–', known.length ? known.every((c) => c.r <= 0.8) : null);
  const saved200 = res.fanOut.filter((r) => r.server === 'tandem' && r.rate === 200 && r.saved);
  row('`saved` p99 ≤ 25 ms at 200 edits/s', saved200.map((r) => `${r.editors}×200: ${f(r.saved.p99)} ms`).join(', ') || '–', saved200.length ? saved200.every((r) => r.saved.p99 <= 25) : null);
  const fs = res.firstSync.find((r) => r.server === 'tandem');
  row('automerge-paper first sync ≤ 150 ms cold', fs ? `${f(fs.cold.median)} ms (median)` : '–', fs ? fs.cold.median <= 150 : null);
  row('automerge-paper first sync ≤ 80 ms warm', fs ? `${f(fs.warm.median)} ms (median)` : '–', fs ? fs.warm.median <= 80 : null);
  const mem = res.memory.find((r) => r.server === 'tandem');
  row('≤ 26 KB per open document with one client', mem ? `${f(mem.perDocKb)} KB` : '–', mem ? mem.perDocKb <= 26 : null);
  out.push('');
  return out;
}

// `node report.mjs results.json` re-renders a saved run.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(render(JSON.parse(readFileSync(process.argv[2], 'utf8'))));
}
