// The SQL one request sends: captured from the app's DB_DEBUG log, then timed with EXPLAIN ANALYZE.
import { getJson } from './app.mjs';

const ANSI = /\x1b\[[0-9;]*m/g;
const QUERY = /^\[query\] (.*) \[took \d+ ms(?:, (\d+) (?:results?|rows? affected))?\]$/;

/** Makes one request and returns the statements the app logged while serving it, in order. */
export async function captureQueries(app, path, cookie) {
  await new Promise((r) => setTimeout(r, 300)); // earlier output has been flushed
  const from = app.output.length;
  await getJson(app, path, cookie);
  await new Promise((r) => setTimeout(r, 300));
  return app.output
    .slice(from)
    .replace(ANSI, '')
    .split('\n')
    .map((line) => QUERY.exec(line.trim()))
    .filter(Boolean)
    .map((m) => ({ sql: m[1], rows: m[2] === undefined ? null : Number(m[2]) }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Server-side time of each statement: EXPLAIN (ANALYZE, BUFFERS) `runs` times after one warm-up,
 * median and fastest execution and planning time; and the client round trip (rows sent to and
 * parsed by node-pg), also median. The fastest run is the statement's cost when nothing else
 * wanted the CPU; the median, what it cost on the machine as it was. Only SELECTs (the others
 * would change data).
 */
export async function explainQueries(client, queries, runs = 7) {
  const out = [];
  for (const q of queries) {
    if (!/^\s*(select|with)\b/i.test(q.sql)) {
      out.push({ ...q, skipped: true });
      continue;
    }
    const exec = [];
    const plan = [];
    const roundTrip = [];
    let text = '';
    for (let i = 0; i <= runs; i++) {
      const [result] = (await client.query(`explain (analyze, buffers, format json) ${q.sql}`)).rows[0]['QUERY PLAN'];
      const started = performance.now();
      await client.query(q.sql);
      if (i === 0) continue;
      roundTrip.push(performance.now() - started);
      exec.push(result['Execution Time']);
      plan.push(result['Planning Time']);
    }
    text = (await client.query(`explain (analyze, buffers) ${q.sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    out.push({ ...q, executionMs: median(exec), fastestExecutionMs: Math.min(...exec), planningMs: median(plan), roundTripMs: median(roundTrip), plan: text });
  }
  return out;
}

/** A short name for a statement: the tables it reads. */
export function label(sql) {
  if (/from "session"/.test(sql)) return 'auth: session + user';
  const tables = [...new Set([...sql.matchAll(/\b(?:from|join)\s+"?([a-z_]+)"?/gi)].map((m) => m[1]).filter((t) => !['lateral', 'latest', 'rows', 'unnest'].includes(t)))];
  return tables.join(' + ');
}

export function summarise(explained) {
  const timed = explained.filter((q) => !q.skipped);
  const sum = (k, qs = timed) => qs.reduce((a, q) => a + q[k], 0);
  const portfolio = timed.filter((q) => !label(q.sql).startsWith('auth'));
  return {
    statements: explained.length,
    executionMs: sum('executionMs'),
    fastestExecutionMs: sum('fastestExecutionMs'),
    planningMs: sum('planningMs'),
    roundTripMs: sum('roundTripMs'),
    portfolioExecutionMs: sum('executionMs', portfolio),
    rowsToNode: timed.reduce((a, q) => a + (q.rows ?? 0), 0),
  };
}
