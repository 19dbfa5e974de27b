/**
 * End-to-end harness: a fresh PostgreSQL database, the real api (which serves this web app from
 * web/build) on a free port, and a headless Debian Chromium driven by playwright-core.
 *
 *   const h = await startHarness();   // in beforeAll
 *   const page = await h.newPage();
 *   await h.stop();                   // in afterAll
 *
 * Needs: `api/dist/main.js` (build the api), `web/build/handler.js` (build the web), PostgreSQL at
 * TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and /usr/bin/chromium.
 *
 * WEB_BUILD_DIR (an absolute path) runs the tests against another build of the web app — the
 * variable `vite build` (web/svelte.config.js) writes it to and the api serves it from — so a test
 * run is not broken by someone else rebuilding web/build meanwhile:
 *   WEB_BUILD_DIR=$PWD/web/.mine/build npm run build -w web && WEB_BUILD_DIR=$PWD/web/.mine/build npx vitest run tests/x.spec.ts
 */
import AxeBuilder from '@axe-core/playwright';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = resolve(here, '..');
/** E2E_API_MAIN runs another build of the api (or a stand-in) instead of ../api/dist/main.js. */
export const API_MAIN = resolve(WEB_DIR, process.env.E2E_API_MAIN ?? '../api/dist/main.js');
/** The built web app the api serves: WEB_BUILD_DIR, else web/build (what `vite build` writes). */
export const WEB_BUILD = resolve(WEB_DIR, process.env.WEB_BUILD_DIR || 'build');
export const WEB_HANDLER = resolve(WEB_BUILD, 'handler.js');
export const RESULTS_DIR = resolve(WEB_DIR, 'test-results');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const READY_TIMEOUT_MS = 60_000;

export interface Harness {
  /** e.g. http://127.0.0.1:41234 — the api, serving the web app on every other path */
  baseUrl: string;
  browser: Browser;
  /** the last 20 kB of the api's stdout and stderr */
  apiOutput(): string;
  /** a new isolated browser context (own cookies) with one page */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** full-page screenshot into web/test-results/<name>.png */
  screenshot(page: Page, name: string): Promise<string>;
  stop(): Promise<void>;
}

/** A port that was free a moment ago: listen on 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the listening port'));
        return;
      }
      server.close(() => resolvePort(address.port));
    });
  });
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function waitForReady(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the api exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready.\n${output()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `GET /health/ready answered ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the api was not ready within ${READY_TIMEOUT_MS / 1000} s (${last}).\n${output()}`);
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} does not exist: build the api first (npx nx run @tandem/api:build)`);
  if (!existsSync(WEB_HANDLER)) throw new Error(`${WEB_HANDLER} does not exist: build the web first (npm run build in web/, with the same WEB_BUILD_DIR)`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} does not exist: apt-get install -y chromium`);
  mkdirSync(RESULTS_DIR, { recursive: true });

  const cleanups: (() => Promise<void>)[] = [];
  const runCleanups = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (e) {
        errors.push(e);
      }
    }
    cleanups.length = 0;
    if (errors.length > 0) throw new AggregateError(errors, 'e2e teardown failed');
  };

  try {
    // 1. a database of its own
    const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const dbName = `tandem_e2e_${randomBytes(6).toString('hex')}`;
    await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(dbName)}`));
    cleanups.push(() => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(dbName)} WITH (FORCE)`)).then(() => undefined));
    const dbUrl = new URL(adminUrl);
    dbUrl.pathname = `/${dbName}`;

    // 2. the api, serving the built web app
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    let output = '';
    const child = spawn(process.execPath, [API_MAIN], {
      cwd: dirname(dirname(API_MAIN)),
      env: {
        ...process.env,
        DATABASE_URL: dbUrl.toString(),
        SEED_DEMO: '1',
        PORT: String(port),
        NODE_ENV: 'test',
        SESSION_SECRET: 'e2e-secret-e2e-secret-e2e-secret-123',
        LOG_LEVEL: 'warn',
        // the build checked above, whatever the api would find by itself
        WEB_BUILD_DIR: WEB_BUILD,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let stopping = false;
    child.once('exit', (code, signal) => {
      // an api that dies mid-run turns every later test into ERR_CONNECTION_REFUSED: say why
      if (!stopping) console.error(`[e2e] the api exited unexpectedly (code ${code}, signal ${signal})\n--- api output ---\n${output}`);
    });
    cleanups.push(() => {
      stopping = true;
      return stopChild(child);
    });
    await waitForReady(baseUrl, child, () => `--- api output ---\n${output}`);

    // 3. the browser
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const contexts: BrowserContext[] = [];

    return {
      baseUrl,
      browser,
      apiOutput: () => output,
      async newPage(options = {}) {
        const context = await browser.newContext({ baseURL: baseUrl, ...options });
        contexts.push(context);
        return context.newPage();
      },
      async screenshot(page, name) {
        const path = resolve(RESULTS_DIR, `${name}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      async stop() {
        await Promise.allSettled(contexts.map((c) => c.close()));
        await runCleanups();
      },
    };
  } catch (e) {
    await runCleanups().catch(() => undefined);
    throw e;
  }
}

/** axe-core on the page as it is: the serious and critical violations, each with up to five of its nodes (a test expects none). */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
}
