/**
 * A page that says it updates live, after what breaks the live connection or its timers, in a real
 * Chromium against the real api (fresh PostgreSQL, demo data): changes made while the `/live`
 * socket was down (the browser offline) show once it reconnects, with no further change to tell
 * about them; the portfolio left open across a sleep through midnight refetches when it wakes.
 * Real: api, PostgreSQL, /live socket, browser. Simulated: the network drop (Playwright's offline
 * mode) and the browser's clock (page.clock), nothing else.
 */
import { describe, expect, it } from 'vitest';
import { person, signInByApi, useHarness } from './harness';

const h = useHarness();

describe('live pages after a drop or a sleep (real browser, real api)', () => {
  it('shows what changed while the live connection was down once it reconnects, on a program and on the portfolio', async () => {
    const pm = await person(h, 'pm@demo.tandem', { viewport: { width: 1280, height: 900 } });
    const leader = await person(h, 'leader@demo.tandem', { viewport: { width: 1280, height: 900 } });
    const other = await person(h, 'qa.lead@demo.tandem');
    try {
      const socket = pm.waitForEvent('websocket', { timeout: 30_000 });
      await pm.goto('/programs/QA');
      const ws = await socket;
      await pm.getByRole('heading', { level: 2, name: 'Latest update' }).waitFor();
      await leader.waitForURL('**/portfolio');
      const live = leader.locator('.live-word');
      await live.filter({ hasText: /^Live$/ }).waitFor();
      const qa = leader.locator('tbody tr[data-program="QA"] td.reported');
      expect(await qa.textContent()).not.toContain('Off track');

      // Both lose the network (a wifi flap, a laptop lid): their live connections drop.
      const closed = ws.waitForEvent('close', { timeout: 15_000 });
      await pm.context().setOffline(true);
      await leader.context().setOffline(true);
      await closed;
      await live.filter({ hasText: /^Connecting/ }).waitFor({ timeout: 15_000 });

      const narrative = 'Posted while the readers were disconnected.';
      const posted = await other.request.post('/api/v1/programs/QA/updates', { data: { health: 'off_track', narrative } });
      expect(posted.status()).toBe(201);
      await pm.waitForTimeout(1_000);

      // Back online: socket.io reconnects by itself. Nothing else changes after this point, so no
      // event comes to tell them; the pages must catch up on their own.
      await pm.context().setOffline(false);
      await leader.context().setOffline(false);
      await live.filter({ hasText: /^Live$/ }).waitFor({ timeout: 20_000 });
      await pm.getByRole('region', { name: 'Latest update' }).getByText(narrative).waitFor({ timeout: 15_000 });
      await expect.poll(() => qa.textContent(), { timeout: 15_000 }).toContain('Off track');
    } finally {
      await pm.context().close();
      await leader.context().close();
      await other.context().close();
    }
  }, 120_000);

  it('refetches the portfolio when it wakes from a sleep across midnight (the midnight timer has not fired)', async () => {
    const leader = await h.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      leader.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
      await signInByApi(leader, 'leader@demo.tandem');
      const now = new Date();
      const noon = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12);
      // the browser's clock: today at noon, and running
      await leader.clock.install({ time: noon });
      await leader.goto('/portfolio');
      await leader.locator('.live-word', { hasText: /^Live$/ }).waitFor();
      const refreshed = leader.locator('p.live').getByText(/^refreshed /);
      const before = await refreshed.textContent();

      // The laptop sleeps through the night: the wall clock jumps to 08:00 the next day, and no
      // timer ran meanwhile (the midnight one is still 12 hours of running time away). It wakes:
      // the page is shown again.
      await leader.clock.setSystemTime(noon + 20 * 3_600_000);
      await leader.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));

      await expect.poll(() => refreshed.textContent(), { timeout: 15_000 }).toMatch(/, 08:0\d UTC$/);
      expect(await refreshed.textContent()).not.toBe(before);
      expect(new URL(leader.url()).pathname).toBe('/portfolio');
    } finally {
      await leader.context().close();
    }
  }, 120_000);
});
