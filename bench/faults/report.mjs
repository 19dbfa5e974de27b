// Markdown tables from a fault run's results (bench/faults/last-run.json).
const LIMIT = 5000;
const pass = (ok) => (ok ? 'yes' : '**no**');
/** ms from the last edit until every editor had every edit and the same state (older runs stored the second wait alone). */
const conv = (r) => (r.convergedFromLastEdit ? r.convergedMs : r.caughtUpMs === null || r.convergedMs === null ? null : r.caughtUpMs + r.convergedMs);
const fmt = (o) => Object.entries(o ?? {}).map(([k, v]) => `${k} ${v}`).join(', ') || '—';

export function report(results) {
  const m = results.machine;
  const out = [
    `Run ${m.date}: ${m.nproc} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}. ` +
      `${results.settings.editors} editors on ${results.settings.docs} documents, ${results.settings.rate} edits/s in aggregate. Load balancer: ${results.settings.lb ?? 'lb.mjs'}. App: \`${m.app}\`.`,
    '',
  ];
  for (const s of results.scenarios) {
    const load = s.loadavgBefore ? `Machine load average (1 min, 5 min) before: ${s.loadavgBefore.join(', ')}; after: ${s.loadavgAfter.join(', ')}.` : '';
    if (s.failed) {
      out.push(`### ${s.scenario}: the run failed`, '', '```', s.failed.slice(0, 2000), '```', '');
      if (load) out.push(load, '');
      continue;
    }
    if (s.scenario === 'kill') {
      const runs = s.runs;
      const lost = runs.reduce((a, r) => a + r.stored.lost, 0);
      const worst = Math.max(...runs.map((r) => conv(r) ?? Infinity));
      out.push(
        `### (1) SIGKILL one node, ${runs.length} seeds`,
        '',
        `Acknowledged edits lost: **${lost}** (of ${runs.reduce((a, r) => a + r.stored.acked, 0)} acknowledged, ${runs.reduce((a, r) => a + r.stored.made, 0)} made). ` +
          `Slowest convergence after the last edit: **${worst === Infinity ? 'did not converge' : `${worst} ms`}** (limit ${LIMIT} ms).`,
        '',
        '| seed | killed | at (ms) | editors that lost their node | synced again, median / last (ms after the kill) | edits made | acked | lost | caught up (ms after the last edit) | converged (ms after the last edit) | ≤ 5 s | refusals | connect errors |',
        '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|',
        ...runs.map(
          (r) =>
            `| ${r.seed} | ${r.victim} | ${r.killAtMs} | ${r.reconnectedEditors} | ${r.reconnectedMedianMs ?? '—'} / ${r.reconnectedMs ?? 'timeout'} | ${r.stored.made} | ${r.stored.acked} | ${r.stored.lost} | ${r.caughtUpMs ?? 'timeout'} | ${conv(r) ?? 'timeout'} | ${pass(conv(r) !== null && conv(r) <= LIMIT)} | ${fmt(r.events.refused)} | ${r.events.connectErrors} |`,
        ),
        '',
      );
    } else if (s.scenario === 'rolling') {
      out.push(
        `### (2) SIGTERM rolling restart of both nodes, ${s.runs.length} runs`,
        '',
        '| run | node: exit, stop (ms), restart to ready (ms) | edits made | acked | lost | converged (ms) | refusals | connect errors | closing reasons | disconnect reasons |',
        '|---:|---|---:|---:|---:|---:|---|---:|---|---|',
        ...s.runs.map(
          (r) =>
            `| ${r.run} | ${r.steps.map((x) => `${x.node}: ${x.exit.signal ?? `code ${x.exit.code}`}, ${x.stoppedMs}, ${x.restartedMs}`).join('; ')} | ${r.stored.made} | ${r.stored.acked} | ${r.stored.lost} | ${conv(r) ?? 'timeout'} | ${fmt(r.events.refused)} | ${r.events.connectErrors} | ${fmt(r.events.closing)} | ${fmt(r.events.disconnects)} |`,
        ),
        '',
      );
    } else if (s.scenario === 'redis') {
      out.push(
        `### (3) Redis killed for 10 s, ${s.runs.length} runs`,
        '',
        'Acknowledged during the outage = edits that got `saved` while Redis was down (edits keep being saved). Split = editors missing a same-document edit made ≥ 2 s earlier, just before Redis returned (the outage did separate the nodes). Caught up = every editor holds every edit made before Redis returned, measured from its return.',
        '',
        '| run | outage (ms) | acknowledged during the outage | split editors | caught up after return (ms) | ≤ 5 s | edits made | acked | lost | converged after last edit (ms) | refusals | connect errors | disconnects |',
        '|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---|',
        ...s.runs.map(
          (r) =>
            `| ${r.run} | ${r.outageMs} | ${r.ackedDuringOutage} | ${r.editorsBehindBeforeReturn} of ${results.settings.editors} | ${r.crossNodeCaughtUpMs ?? 'never (60 s)'} | ${pass(r.crossNodeCaughtUpMs !== null && r.crossNodeCaughtUpMs <= LIMIT)} | ${r.stored.made} | ${r.stored.acked} | ${r.stored.lost} | ${conv(r) ?? 'timeout'} | ${fmt(r.events.refused)} | ${r.events.connectErrors} | ${fmt(r.events.disconnects)} |`,
        ),
        '',
      );
    } else if (s.scenario === 'postgres') {
      out.push(`### (4) PostgreSQL stopped (-m immediate) for 10 s, ${s.runs.length} runs (a private cluster, PostgreSQL ${s.runs[0]?.postgres})`, '');
      for (const r of s.runs) {
        const statuses = {};
        for (const p of r.probesWhileDown) {
          const k = `\`${p.path}\` → ${p.status}${p.retryAfter ? ` (Retry-After ${p.retryAfter})` : ' (no Retry-After)'}`;
          statuses[k] = (statuses[k] ?? 0) + 1;
        }
        out.push(
          `Run ${r.run}. Stopped in ${r.stopMs} ms, start command after ${r.outageMs} ms; crash recovery until \`pg_ctl -w start\` returned: ${r.recoveryMs} ms. ` +
            `\`saved\` received while it was down for edits made after the stop began: **${r.savedForEditsMadeWhileDown}** ` +
            `(acknowledgements of earlier edits arriving after the stop had completed: ${r.ackMovesWhileDown}, the latest ${r.latestAckAfterStopMs} ms after). ` +
            `First \`saved\` ${r.firstSavedAfterStartMs ?? '—'} ms after the start command. ` +
            `After the edits stopped: converged in ${conv(r) ?? 'timeout'} ms; ${r.stored.made} made, ${r.stored.acked} acknowledged, **${r.stored.lost} lost**. ` +
            `Client events: refusals ${fmt(r.events.refused)}, connect errors ${r.events.connectErrors}, disconnects ${fmt(r.events.disconnects)}.`,
          '',
          `- REST through the load balancer while it was down: ${Object.entries(statuses).map(([k, n]) => `${k} ×${n}`).join('; ')}`,
          `- bodies: ${[...new Map(r.probesWhileDown.map((p) => [`${p.path} ${p.status}`, p])).values()].map((p) => `\`${p.path}\` ${p.status} \`${(p.body ?? p.error ?? '').replace(/`/g, "'").slice(0, 120)}\` in ${p.ms} ms`).join('; ')}`,
          `- from the start command on, one round a second (ms since the start command: answers): ${[...new Set(r.probesAfter.map((p) => p.atMs))].map((t) => `${t}${r.probesAfter.find((p) => p.atMs === t).postgresReady ? ' (pg_ctl returned)' : ''}: ${r.probesAfter.filter((p) => p.atMs === t).map((p) => `${p.path.replace('/api/v1', '')} ${p.status === 'error' ? p.error : p.status}`).join(', ')}`).join('; ')}`,
          '',
        );
      }
    } else if (s.scenario === 'soak') {
      out.push(
        `### (5) Soak, ${s.minutes} minutes, ${s.soakEdits === 'text' ? 'typing edits (Y.Text, bounded)' : 'map overwrites (Y.Map, 16 keys per editor)'}`,
        '',
        '| node | RSS minute 1–2 (MiB) | RSS last minute (MiB) | drift | ≤ 10 % | max (MiB) |',
        '|---|---:|---:|---:|---|---:|',
        ...s.drift.map((d) => `| ${d.node} | ${d.baseMiB} | ${d.endMiB} | ${d.driftPercent} % | ${pass(Math.abs(d.driftPercent) <= 10)} | ${d.maxMiB} |`),
        '',
        `${s.stored.made} edits made (${s.editing.ratePerSecond}/s), ${s.stored.acked} acknowledged, **${s.stored.lost} lost**; converged ${conv(s) ?? 'timeout'} ms after the last edit. ` +
          `Open rooms (Redis relay subscriptions, one per node holding a room) after the editors left: **${s.roomSubscriptionsAfter}**, reached 0 in ${s.roomsClosedMs ?? 'never (60 s)'} ms. ` +
          `RSS after leaving: ${s.rssAfterLeavingMiB.join(' / ')} MiB. /metrics: ${s.metricsAfter.map((x) => (x.status === 200 ? x.rooms.join('; ') || 'no room series' : `HTTP ${x.status}`)).join(' | ')}.`,
        '',
      );
      if (s.heaps?.length) {
        out.push(
          'After a full GC (inspector), per node: RSS / JS heap used / external (of which ArrayBuffers), MiB:',
          '',
          '| when | ' + s.drift.map((d) => d.node).join(' | ') + ' |',
          '|---|' + s.drift.map(() => '---|').join(''),
          ...s.heaps.map((h) => `| ${h.when} | ${h.nodes.map((n) => (n.error ? n.error : `${n.rssMiB} / ${n.heapUsedMiB} / ${n.externalMiB} (${n.arrayBuffersMiB})`)).join(' | ')} |`),
          '',
        );
      }
    }
    if (load) out.push(load, '');
  }
  return out.join('\n');
}
