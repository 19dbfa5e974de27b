/**
 * Background refreshes that fail, in a real Chromium against the real api (fresh PostgreSQL, demo
 * data): a page refreshed by a live event whose reload cannot reach the api (requests aborted by
 * Playwright, like a wifi flap) or gets 5xx keeps what it showed, says so politely and retries
 * by itself; a removal from the program that lands between the layout's access check and its
 * reload ends in "your access was removed", not in "Program not found"; a reload that finds the
 * session gone keeps the page and the draft on it and says the session ended; the tokens page
 * keeps a new token's secret when its list cannot be reloaded. Real: api, PostgreSQL, /live
 * socket, browser; only the failing requests are simulated, with page.route, and a session's end
 * by deleting it from the database (as its expiry would).
 */
import pg from 'pg';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { person, useHarness, whenReady } from './harness';

const h = useHarness();

const API = (url: URL) => url.pathname.startsWith('/api/v1/');
/** Opens `path` and waits for the /live socket (it subscribes right after connecting). */
async function openLive(page: Page, path: string): Promise<void> {
  const socket = page.waitForEvent('websocket', { timeout: 30_000 });
  await page.goto(path);
  await socket;
  await page.waitForTimeout(1_000);
}

const notice = (page: Page) => page.getByRole('status').filter({ hasText: /Couldn.t refresh/ });
const errorPage = (page: Page) => page.getByRole('heading', { level: 1, name: /Something went wrong|not found/ });

/** Waits for `shown`, or for the error page that would replace it; expects no error page. */
async function noErrorPage(page: Page, shown: ReturnType<Page['locator']>): Promise<void> {
  await shown.or(errorPage(page)).first().waitFor({ timeout: 10_000 });
  expect(await errorPage(page).allTextContents()).toEqual([]);
}

describe('background refresh that fails (real browser, real api)', () => {
  it('keeps the program overview and a half-written update on screen when the live reload cannot reach the api, then catches up by itself', async () => {
    const pm = await person(h, 'pm@demo.tandem', { viewport: { width: 1280, height: 900 } });
    const other = await person(h, 'pm@demo.tandem');
    try {
      await openLive(pm, '/programs/QA');
      await whenReady(pm, 'Post update');
      await pm.getByLabel('What changed').fill('Half-written, not posted yet');

      // The api becomes unreachable for this page; the /live socket (not under /api) stays up.
      await pm.route(API, (route) => route.abort('internetdisconnected'));
      const posted = await other.request.post('/api/v1/programs/QA/updates', { data: { health: 'at_risk', narrative: 'Posted while the reader was offline.' } });
      expect(posted.status()).toBe(201);

      await noErrorPage(pm, notice(pm));
      expect(await notice(pm).textContent()).toMatch(/showing what was loaded at/);
      await pm.getByRole('heading', { level: 2, name: 'Latest update' }).waitFor({ timeout: 1_000 });
      expect(await pm.getByLabel('What changed').inputValue()).toBe('Half-written, not posted yet');
      await h.screenshot(pm, 'refresh-failed-notice');

      // The api answers again: the page retries on its own, shows the new update, drops the notice.
      await pm.unroute(API);
      await pm.getByRole('region', { name: 'Latest update' }).getByText('Posted while the reader was offline.').waitFor({ timeout: 20_000 });
      await notice(pm).waitFor({ state: 'detached', timeout: 5_000 });
      expect(await pm.getByLabel('What changed').inputValue()).toBe('Half-written, not posted yet');
    } finally {
      await pm.context().close();
      await other.context().close();
    }
  }, 120_000);

  it('keeps the portfolio on screen when its live reload gets a 502, and refreshes once the api is back', async () => {
    const leader = await person(h, 'leader@demo.tandem', { viewport: { width: 1280, height: 900 } });
    const pm = await person(h, 'pm@demo.tandem');
    try {
      await leader.waitForURL('**/portfolio');
      await leader.locator('.live-word', { hasText: /^Live$/ }).waitFor();
      const wfm = leader.locator('tbody tr[data-program="WFM"] td.reported');
      expect(await wfm.textContent()).toContain('On track');

      await leader.route(API, (route) => route.fulfill({ status: 502, contentType: 'application/json', body: JSON.stringify({ message: 'Bad gateway' }) }));
      const posted = await pm.request.post('/api/v1/programs/WFM/updates', { data: { health: 'off_track', narrative: 'Forecast accuracy dropped.' } });
      expect(posted.status()).toBe(201);

      await noErrorPage(leader, notice(leader));
      expect(await notice(leader).textContent()).toContain('Bad gateway');
      expect(await wfm.textContent()).toContain('On track');

      await leader.unroute(API);
      await expect.poll(() => wfm.textContent(), { timeout: 20_000 }).toContain('Off track');
      await notice(leader).waitFor({ state: 'detached', timeout: 5_000 });
    } finally {
      await leader.context().close();
      await pm.context().close();
    }
  }, 120_000);

  it('says the access was removed, not "Program not found", when the removal lands between the access check and the reload', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const partner = await person(h, 'partner@demo.tandem', { viewport: { width: 1280, height: 900 } });
    const { id: partnerId } = (await (await partner.request.get('/api/v1/auth/me')).json()) as { id: string };
    try {
      await openLive(partner, '/programs/QA');
      await partner.getByRole('heading', { level: 2, name: 'Latest update' }).waitFor();

      // The partner's role changes (a membership change: the layout first asks whether they can
      // still read the program, and they can). Its reload of the program is held until the
      // program manager has removed them: the reload answers 404.
      let removed: Promise<number> | null = null;
      await partner.route(
        (url) => url.pathname === '/api/v1/programs/QA',
        async (route) => {
          removed ??= pm.request.delete(`/api/v1/programs/QA/members/${partnerId}`).then((r) => r.status());
          expect(await removed).toBe(204);
          await route.continue();
        },
      );
      expect((await pm.request.patch(`/api/v1/programs/QA/members/${partnerId}`, { data: { role: 'viewer' } })).status()).toBe(200);

      await noErrorPage(partner, partner.getByRole('alert').filter({ hasText: /Your access to .* was removed/ }));
      expect(removed).not.toBeNull();
      await partner.getByRole('heading', { level: 2, name: 'Latest update' }).waitFor({ timeout: 1_000 });
      // no "retrying" over a page that no longer updates
      await partner.waitForTimeout(3_000);
      expect(await notice(partner).count()).toBe(0);
      expect(await errorPage(partner).count()).toBe(0);
    } finally {
      await partner.unrouteAll();
      const back = await pm.request.post('/api/v1/programs/QA/members', { data: { userId: partnerId, role: 'editor' } });
      expect([201, 409]).toContain(back.status());
      await pm.context().close();
      await partner.context().close();
    }
  }, 120_000);

  it('keeps the page and a half-written update when a live reload finds the session gone, and says the session ended', async () => {
    const pm = await person(h, 'pm@demo.tandem', { viewport: { width: 1280, height: 900 } });
    const partner = await person(h, 'partner@demo.tandem');
    const { id: pmId } = (await (await pm.request.get('/api/v1/auth/me')).json()) as { id: string };
    try {
      await openLive(pm, '/programs/QA');
      await whenReady(pm, 'Post update');
      await pm.getByLabel('What changed').fill('Half-written when the session ended');

      // The session ends on the server (it expired; it was signed out elsewhere). The live
      // connection, authorised when it opened, still tells about changes.
      const db = new pg.Client({ connectionString: h.databaseUrl });
      await db.connect();
      try {
        expect((await db.query('DELETE FROM session WHERE user_id = $1', [pmId])).rowCount).toBeGreaterThan(0);
      } finally {
        await db.end();
      }
      const posted = await partner.request.post('/api/v1/programs/QA/updates', { data: { health: 'at_risk', narrative: 'Posted after the session ended.' } });
      expect(posted.status()).toBe(201);

      // The reload that follows gets 401: the page stays, with the draft, and offers to sign in again.
      const banner = pm.getByRole('alert').filter({ hasText: 'Your session has ended.' });
      await noErrorPage(pm, banner);
      expect(new URL(pm.url()).pathname).toBe('/programs/QA');
      expect(await pm.getByLabel('What changed').inputValue()).toBe('Half-written when the session ended');
      expect(await banner.getByRole('link', { name: 'Sign in again' }).getAttribute('href')).toBe('/login?next=%2Fprograms%2FQA');
      // not "couldn't refresh, retrying": retrying would not bring the session back
      expect(await notice(pm).count()).toBe(0);
      await h.screenshot(pm, 'refresh-session-ended');
    } finally {
      await pm.context().close();
      await partner.context().close();
    }
  }, 120_000);

  it('keeps a new token on screen, secret included, when the token list cannot be reloaded after making it', async () => {
    const pm = await person(h, 'pm@demo.tandem', { viewport: { width: 1280, height: 900 } });
    const tokens = (url: URL) => url.pathname === '/api/v1/tokens';
    try {
      await pm.goto('/me/tokens');
      await whenReady(pm, 'Make token');
      // making the token works; reloading the list after it gets a 502
      await pm.route(tokens, (route) =>
        route.request().method() === 'GET'
          ? route.fulfill({ status: 502, contentType: 'application/json', body: JSON.stringify({ message: 'Bad gateway' }) })
          : route.continue(),
      );
      await pm.getByLabel('Name').fill('Nightly export');
      await pm.getByRole('button', { name: 'Make token' }).click();

      await noErrorPage(pm, notice(pm));
      expect(await notice(pm).textContent()).toContain('Bad gateway');
      const secret = pm.getByRole('textbox', { name: 'Your new token “Nightly export”' });
      expect(await secret.inputValue()).toMatch(/^tdm_/);

      // the api answers again: the list catches up by itself, the secret is still there to copy
      await pm.unroute(tokens);
      await pm.getByRole('row', { name: /Nightly export/ }).waitFor({ timeout: 20_000 });
      await notice(pm).waitFor({ state: 'detached', timeout: 5_000 });
      expect(await secret.inputValue()).toMatch(/^tdm_/);
    } finally {
      await pm.context().close();
    }
  }, 120_000);
});
