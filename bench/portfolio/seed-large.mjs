#!/usr/bin/env node
// Fills a PostgreSQL database with a generated large organisation for bench/portfolio:
// 500 programs, 10,000 milestones, 50,000 checklist items, RACI, baselines, status updates and
// the activity log those writes would have left.
//
//   createdb -h 127.0.0.1 -U postgres tandem_large
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_large npm run seed:large [-- --force]
//
// The app itself (api/dist/main.js, so `npm run build` first) applies the migrations and seeds the
// demo organisation, whose people, teams and templates the generated programs use; the demo's four
// programs are then replaced by the generated ones. Deterministic: the same seed gives the same
// organisation, with dates relative to today. Every person signs in with "demo-password".
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generate } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'api', 'dist', 'main.js');
const GENERATED_DOMAIN = 'large.tandem';
const BATCH = 5000;

/** Tables in insertion order, each column with its PostgreSQL type. */
const TABLES = {
  user: { id: 'uuid', email: 'text', name: 'text', password_hash: 'text', org_role: 'text', active: 'bool', created_at: 'timestamptz', updated_at: 'timestamptz' },
  program: {
    id: 'uuid', key: 'text', name: 'text', description: 'text', status: 'text', owner_id: 'uuid', team_id: 'uuid',
    start_date: 'date', target_date: 'date', created_at: 'timestamptz', updated_at: 'timestamptz',
  },
  program_member: { program_id: 'uuid', user_id: 'uuid', role: 'text', added_at: 'timestamptz' },
  milestone: {
    id: 'uuid', program_id: 'uuid', title: 'text', owner_id: 'uuid', start_date: 'date', due_date: 'date', status: 'text',
    position: 'int', workstream: 'text', completed_at: 'timestamptz', created_at: 'timestamptz', updated_at: 'timestamptz',
  },
  milestone_dependency: { predecessor_id: 'uuid', successor_id: 'uuid', program_id: 'uuid', created_at: 'timestamptz' },
  baseline: { id: 'uuid', program_id: 'uuid', label: 'text', created_by_id: 'uuid', created_at: 'timestamptz' },
  baseline_milestone: { baseline_id: 'uuid', milestone_id: 'uuid', start_date: 'date', due_date: 'date' },
  raci_row: { id: 'uuid', program_id: 'uuid', milestone_id: 'uuid', activity: 'text', position: 'int', created_at: 'timestamptz' },
  raci_assignment: { row_id: 'uuid', subject_type: 'text', subject_id: 'uuid', letter: 'text', program_id: 'uuid' },
  checklist_template_item: { id: 'uuid', program_id: 'uuid', title: 'text', owner_team_id: 'uuid', required: 'bool', due_offset_days: 'int', position: 'int' },
  wave: {
    id: 'uuid', program_id: 'uuid', name: 'text', scope: 'jsonb', planned_go_live: 'date', status: 'text', position: 'int',
    went_live_at: 'timestamptz', created_at: 'timestamptz', updated_at: 'timestamptz',
  },
  checklist_item: {
    id: 'uuid', wave_id: 'uuid', program_id: 'uuid', template_item_id: 'uuid', title: 'text', owner_team_id: 'uuid', required: 'bool',
    due_date: 'date', state: 'text', reason: 'text', changed_by_id: 'uuid', changed_at: 'timestamptz', position: 'int',
  },
  status_update: { id: 'uuid', program_id: 'uuid', health: 'text', narrative: 'text', author_id: 'uuid', created_at: 'timestamptz' },
  activity: { program_id: 'uuid', actor_id: 'uuid', at: 'timestamptz', entity_type: 'text', entity_id: 'uuid', action: 'text', summary: 'text', changes: 'jsonb' },
};

const force = process.argv.includes('--force');
const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'DATABASE_URL is required: the large organisation goes into a database of its own.\n' +
      '  createdb -h 127.0.0.1 -U postgres tandem_large\n' +
      '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_large npm run seed:large',
  );
  process.exit(2);
}
if (!existsSync(MAIN)) {
  console.error(`${MAIN} is missing: build the api first (npm run build)`);
  process.exit(2);
}

const started = performance.now();
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const existing = await countPrograms();
  if (existing > 0 && !force) {
    console.error(`This database already has ${existing} program(s). Use an empty one (createdb -h 127.0.0.1 -U postgres tandem_large), or pass --force to replace every program in it.`);
    process.exit(1);
  }

  const migrateStart = performance.now();
  await runAppOnce();
  const migrateMs = performance.now() - migrateStart;

  const demo = await client.query(`select password_hash from "user" where email = 'pm@demo.tandem'`);
  if (!demo.rows.length) throw new Error('pm@demo.tandem is missing: this database has people but not the demo organisation; use an empty database');
  const teams = (await client.query(`select id, name from team order by name`)).rows;

  const genStart = performance.now();
  const org = generate({ passwordHash: demo.rows[0].password_hash, teams, domain: GENERATED_DOMAIN });
  const genMs = performance.now() - genStart;

  const insertStart = performance.now();
  await client.query('begin');
  // The demo's programs (and, with --force, every program there was) make way, with everything
  // that belongs to a program: the tables that reference it, and theirs.
  await client.query('truncate program cascade');
  await client.query(`delete from "user" where email like $1`, [`%@${GENERATED_DOMAIN}`]);
  for (const [table, spec] of Object.entries(TABLES)) await insert(table, spec, org[table]);
  await client.query('commit');
  const insertMs = performance.now() - insertStart;

  const analyzeStart = performance.now();
  await client.query('vacuum (analyze)'); // statistics and the visibility map, as autovacuum would leave them
  const analyzeMs = performance.now() - analyzeStart;

  const counts = {};
  for (const table of Object.keys(TABLES)) counts[table] = Number((await client.query(`select count(*) from "${table}"`)).rows[0].count);
  console.table(counts);
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`migrations + demo seed (app start) ${s(migrateMs)}, generation ${s(genMs)}, inserts ${s(insertMs)}, vacuum + analyze ${s(analyzeMs)}; total ${s(performance.now() - started)}`);
  console.log(`Sign in as admin@demo.tandem (every program) or any ...@${GENERATED_DOMAIN} person, password "demo-password".`);
} catch (error) {
  await client.query('rollback').catch(() => undefined);
  console.error(error);
  process.exitCode = 1;
} finally {
  await client.end();
}

async function countPrograms() {
  const table = await client.query(`select to_regclass('public.program') as t`);
  if (!table.rows[0].t) return 0;
  return Number((await client.query('select count(*) from program')).rows[0].count);
}

/** Starts the built app once so it migrates and seeds the demo organisation, then stops it. */
function runAppOnce() {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DATABASE_URL: url, MIGRATE_ON_START: '1', SEED_DEMO: '1', PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', LOG_LEVEL: 'log', WEB_BUILD_DIR: '' };
    const app = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => app.kill('SIGTERM'), 120_000);
    const watch = (chunk) => {
      output += chunk;
      if (output.includes('Tandem is listening')) app.kill('SIGTERM');
    };
    app.stdout.on('data', watch);
    app.stderr.on('data', watch);
    app.on('exit', () => {
      clearTimeout(timer);
      if (output.includes('Tandem is listening')) resolve();
      else reject(new Error(`the app did not start:\n${output}`));
    });
  });
}

/** Inserts rows in batches, one parameter per column (`unnest` of arrays): fast, and no parameter limit. */
async function insert(table, spec, rows) {
  const columns = Object.keys(spec);
  const casts = columns.map((c, i) => `$${i + 1}::${spec[c]}[]`).join(', ');
  const sql = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(${casts})`;
  for (let at = 0; at < rows.length; at += BATCH) {
    const batch = rows.slice(at, at + BATCH);
    await client.query(sql, columns.map((c) => batch.map((r) => r[c] ?? null)));
  }
}
