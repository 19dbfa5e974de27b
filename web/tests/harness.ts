/**
 * End-to-end harness: a fresh PostgreSQL database, the real api (which serves this web app from
 * web/build) on a free port, and a headless Debian Chromium driven by playwright-core.
 *
 *   const h = await startHarness();   // in beforeAll
 *   const page = await h.newPage();
 *   await h.stop();                   // in afterAll
 *
 * Or, for a whole spec file: `const h = useHarness();` starts it before the file's tests and stops it
 * after. The helpers below sign people in and wait for pages to be ready.
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
import { afterAll, beforeAll, expect } from 'vitest';
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
  /** the api's database, for what a test cannot set up through the api (history in the past) */
  databaseUrl: string;
  browser: Browser;
  /** the last 20 kB of the api's stdout and stderr */
  apiOutput(): string;
  /** a new isolated browser context (own cookies) with one page */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** full-page screenshot into web/test-results/<name>.png */
  screenshot(page: Page, name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A free port for the api started next, chosen below the kernel's ephemeral range (32768+). A port
 * from `listen(0)` is free only until it is closed: the api suite, running beside this one, starts
 * apps on port 0 all the time, and one of them could take it while our api boots. That app then
 * answered our readiness probe, closed when its test ended (ERR_CONNECTION_REFUSED for the next
 * tests) and let our api bind the port late. api/test/collab-harness.ts picks from 20000–31999, so
 * the two suites never draw the same port; a port something already listens on is skipped.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolveFree) => {
      const server = createServer();
      server.unref();
      server.once('error', () => resolveFree(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
    });
    if (free) return port;
  }
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
        HOST: '127.0.0.1',
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
      databaseUrl: dbUrl.toString(),
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

/** The looks a page is checked in besides the default, by name: phone width, dark, and both. */
export const PHONE_AND_DARK = [
  ['375', { viewport: { width: 375, height: 812 } }],
  ['dark', { colorScheme: 'dark' }],
  ['375-dark', { viewport: { width: 375, height: 812 }, colorScheme: 'dark' }],
] as const satisfies readonly (readonly [string, BrowserContextOptions])[];

/**
 * How far the page is wider than its window (`extra`, 0 or less when it fits), and up to five
 * elements that stick out past the right edge without a scrolling box around them, to say what to fix.
 */
export function sidewaysOverflow(page: Page): Promise<{ extra: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => {
        if (el.getBoundingClientRect().right <= width + 1) return false;
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
          if (getComputedStyle(up).overflowX !== 'visible') return false;
        }
        return true;
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? '').slice(0, 40)}" right=${Math.round(el.getBoundingClientRect().right)}`);
    return { extra: document.documentElement.scrollWidth - width, culprits };
  });
}

/**
 * Starts the harness before the file's tests (beforeAll) and stops it after them (afterAll). What it
 * returns stands for the started harness, so use it inside tests and hooks only.
 */
export function useHarness(): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness();
  });
  afterAll(async () => {
    await started?.stop();
  });
  const get = (): Harness => {
    if (!started) throw new Error('the harness is not started: use it inside tests and hooks');
    return started;
  };
  return {
    get baseUrl() {
      return get().baseUrl;
    },
    get databaseUrl() {
      return get().databaseUrl;
    },
    get browser() {
      return get().browser;
    },
    apiOutput: () => get().apiOutput(),
    newPage: (options) => get().newPage(options),
    screenshot: (page, name) => get().screenshot(page, name),
    stop: () => get().stop(),
  };
}

/** Every demo person's password (SEED_DEMO). */
export const DEMO_PASSWORD = 'demo-password';

/** Fills in the sign-in form and submits it, without waiting for what comes of it. */
export async function submitSignIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the login form and waits until the app has moved on from /login. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** A page in its own context (own cookies), signed in as `email` through the login form. */
export async function person(h: Harness, email: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await h.newPage(options);
  await signIn(page, email);
  return page;
}

/** Signs in through the api: the session cookie lands in the page's context. */
export async function signInByApi(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  const res = await page.request.post('/api/v1/auth/login', { data: { email, password } });
  expect(res.status()).toBe(200);
}

/**
 * A desktop-sized page in its own context (1280 × 900 unless `options` say otherwise), patient
 * with a loaded machine (45 s per action) and loud about script errors in the page.
 */
export async function desktopPage(h: Harness, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await h.newPage({ viewport: { width: 1280, height: 900 }, ...options });
  page.setDefaultTimeout(45_000);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  return page;
}

/** A page in its own context, signed in through the api, on `path` and hydrated. */
export async function openAs(h: Harness, email: string, path: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await h.newPage(options);
  // a script error in the page would otherwise only show up as a missing control
  page.on('pageerror', (e) => console.error(`[page error] ${path}: ${e.message}`));
  await signInByApi(page, email);
  await page.goto(path);
  await hydrated(page);
  return page;
}

/** Keys and clicks only work once the page is hydrated: the RACI and rollout workspaces mark themselves then. */
export async function hydrated(page: Page): Promise<void> {
  if (!/\/(raci|rollout)$/.test(new URL(page.url()).pathname)) return;
  await page.locator('[data-hydrated="true"]').waitFor();
}

/**
 * Buttons that need JavaScript stay disabled until the page is hydrated; waiting for one means
 * typed values are not reset by hydration.
 */
export async function whenReady(page: Page, button: string | RegExp): Promise<void> {
  const b = page.getByRole('button', { name: button }).first();
  await b.waitFor();
  await expect.poll(() => b.isEnabled(), { timeout: 45_000 }).toBe(true);
}
