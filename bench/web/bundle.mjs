// Gzipped JavaScript loaded by the first view of the portfolio (budget: 200 KB).
//
//   node bench/web/bundle.mjs            # builds the web app first
//   node bench/web/bundle.mjs --no-build # measures the existing web/build
//
// What it does: a fresh PostgreSQL database with the demo organisation, the real api serving the
// built web app (api/dist/main.js, NODE_ENV=production), Debian Chromium through playwright-core.
// It signs leadership in through the api (so the sign-in page's scripts are not counted), opens
// /portfolio in a fresh page with an empty cache, scrolls to the charts (their code loads when they
// come near the viewport; counted here, as the worst case), waits until both have drawn and the
// network is idle, and gzips the body of every JavaScript response itself — Chromium's
// transferSize is not reliable on localhost (the app serves the built scripts precompressed, as
// brotli when the browser takes it). Prints a table and writes bench/web/last-run.json.
// WEB_BUILD_DIR builds and serves a web build of its own instead of web/build.
//
// Needs: api/dist/main.js (npx tsc -p api/tsconfig.build.json), PostgreSQL at TEST_DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres), /usr/bin/chromium (CHROMIUM_PATH).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { freePort } from '../lib/net.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEB = join(ROOT, 'web');
const MAIN = join(ROOT, 'api', 'dist', 'main.js');
const BUDGET_KB = 200;
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';


async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function waitReady(base, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the api exited before it was ready');
    try {
      if ((await fetch(`${base}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the api was not ready within 60 s');
}

if (!process.argv.includes('--no-build')) {
  console.log('building web/ …');
  execFileSync('npx', ['vite', 'build'], { cwd: WEB, stdio: 'ignore' });
}
if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the api first`);

const db = `tandem_bundle_${randomBytes(5).toString('hex')}`;
await admin(`CREATE DATABASE "${db}"`);
const dbUrl = new URL(ADMIN_URL);
dbUrl.pathname = `/${db}`;
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const api = spawn(process.execPath, [MAIN], {
  cwd: join(ROOT, 'api'),
  env: { ...process.env, DATABASE_URL: dbUrl.toString(), SEED_DEMO: '1', PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', SESSION_SECRET: randomBytes(48).toString('base64url'), LOG_LEVEL: 'warn' },
  stdio: 'ignore',
});
let browser;
try {
  await waitReady(base, api);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1360, height: 1000 } });
  const login = await context.request.post('/api/v1/auth/login', { data: { email: 'leader@demo.tandem', password: 'demo-password' } });
  if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`);

  const page = await context.newPage();
  const scripts = [];
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    const url = new URL(response.url());
    if (url.origin === base && (type.includes('javascript') || url.pathname.endsWith('.js'))) scripts.push(response);
  });
  await page.goto('/portfolio', { waitUntil: 'networkidle' });
  const unscrolled = new Set(scripts.map((r) => r.url()));
  // The charts' code and data load when they come near the viewport: count them in (worst case).
  await page.getByRole('region', { name: 'Charts' }).scrollIntoViewIfNeeded();
  await page.getByRole('img', { name: /Reported health of \d+ program/ }).waitFor();
  await page.getByRole('img', { name: /milestones of \d+ programs/ }).waitFor();
  await page.waitForLoadState('networkidle');

  const files = [];
  for (const response of scripts) {
    const body = await response.body();
    files.push({
      file: new URL(response.url()).pathname,
      beforeScroll: unscrolled.has(response.url()),
      raw: body.length,
      gzip: gzipSync(body).length,
      gzip9: gzipSync(body, { level: 9 }).length,
    });
  }
  files.sort((a, b) => b.gzip - a.gzip);
  const total = (k) => files.reduce((sum, f) => sum + f[k], 0);
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(`\n${files.length} JavaScript files loaded by the first view of /portfolio:\n`);
  for (const f of files) console.log(`${kb(f.gzip).padStart(8)} KB gz  ${kb(f.raw).padStart(8)} KB raw  ${f.file}`);
  const gz = total('gzip');
  const unscrolledGz = files.filter((f) => f.beforeScroll).reduce((sum, f) => sum + f.gzip, 0);
  console.log(`\ntotal: ${kb(gz)} KB gzipped (level 6), ${kb(total('gzip9'))} KB at level 9, ${kb(total('raw'))} KB raw — budget ${BUDGET_KB} KB: ${gz / 1024 <= BUDGET_KB ? 'within' : 'OVER'}`);
  console.log(`before scrolling to the charts: ${kb(unscrolledGz)} KB gzipped in ${files.filter((f) => f.beforeScroll).length} files`);
  writeFileSync(
    join(dirname(fileURLToPath(import.meta.url)), 'last-run.json'),
    `${JSON.stringify({ at: new Date().toISOString(), budgetKb: BUDGET_KB, totalGzipBytes: gz, beforeScrollGzipBytes: unscrolledGz, totalGzip9Bytes: total('gzip9'), totalRawBytes: total('raw'), files }, null, 2)}\n`,
  );
  process.exitCode = gz / 1024 <= BUDGET_KB ? 0 : 1;
} finally {
  await browser?.close();
  api.kill('SIGTERM');
  await new Promise((r) => api.once('exit', r));
  await admin(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
}
