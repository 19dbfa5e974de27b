/**
 * The portfolio, in a real Chromium against the real api with demo data (fresh PostgreSQL): what
 * leadership sees, filters and sorting through the query string, live updates when a program
 * manager posts a status update, axe in light and dark, phone width. Screenshots go to
 * web/test-results/portfolio-*.png.
 */
import pg from 'pg';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { person, seriousViolations, signIn, useHarness } from './harness';

const h = useHarness();

/** Rows of the portfolio table (the wide layout). */
const rows = (page: Page) => page.getByRole('table', { name: 'Portfolio' }).locator('tbody tr');
const row = (page: Page, key: string) => page.locator(`tbody tr[data-program="${key}"]`);
const programOrder = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-program')));

/**
 * Waits until both charts have drawn. Their code and data are fetched when the charts come near
 * the viewport, so scroll there first (on a phone they are far below the cards).
 */
async function chartsDrawn(page: Page): Promise<void> {
  await page.getByRole('region', { name: 'Charts' }).scrollIntoViewIfNeeded();
  await page.getByRole('img', { name: /Reported health of \d+ program/ }).waitFor();
  await page.getByRole('img', { name: /milestones of \d+ programs/ }).waitFor();
}


describe('portfolio (real browser, real api, demo data)', () => {
  it('lands leadership on the portfolio: every program with health as icon and word', async () => {
    const page = await h.newPage({ viewport: { width: 1360, height: 1000 } });
    await signIn(page, 'leader@demo.tandem');
    await page.waitForURL((url) => url.pathname === '/portfolio');
    await page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
    expect(await rows(page).count()).toBeGreaterThanOrEqual(4);

    // reported and computed health are words (with an icon), never colour alone
    await expect.poll(() => row(page, 'QA').locator('td.reported').textContent()).toContain('At risk');
    expect(await row(page, 'WFM').locator('td.reported').textContent()).toContain('On track');
    expect(await row(page, 'VOU').locator('td.reported').textContent()).toContain('Not reported');
    expect(await row(page, 'QA').locator('td.reported svg').count()).toBe(1);
    // computed health with its reasons; a stale program is flagged
    expect(await row(page, 'KB').textContent()).toMatch(/Off track|At risk/);
    expect(await row(page, 'KB').textContent()).toContain('Stale');
    expect(await row(page, 'KB').textContent()).toMatch(/last update 40 days ago/);
    // current wave of QA: the pilot is live, so Wave 1 (2 of 3)
    expect(await row(page, 'QA').textContent()).toMatch(/Wave 1.*wave 2 of 3/);
    // leadership gets no edit controls here either
    expect(await page.getByRole('button', { name: /new|edit|post/i }).count()).toBe(0);

    await chartsDrawn(page);
    await h.screenshot(page, 'portfolio-leader');
    await page.context().close();
  });

  it('filters by team, health and owner through a shareable query string', async () => {
    const page = await h.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'leader@demo.tandem');
    await page.waitForURL('**/portfolio');
    const all = await rows(page).count();

    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Quality Assurance' });
    await expect.poll(() => programOrder(page)).toEqual(['QA']);
    expect(page.url()).toContain('team=');
    await page.getByRole('status').filter({ hasText: `Showing 1 of ${all} programs` }).waitFor();

    // the URL is the view: a reload (or a shared link) shows the same
    await page.reload();
    await expect.poll(() => programOrder(page)).toEqual(['QA']);
    expect(await page.getByLabel('Team', { exact: true }).inputValue()).not.toBe('');

    await page.getByRole('link', { name: 'Clear filters' }).click();
    await expect.poll(() => rows(page).count()).toBe(all);

    await page.getByLabel('Reported health', { exact: true }).selectOption({ label: 'Not reported' });
    await expect.poll(() => programOrder(page)).toEqual(['VOU']);
    await page.getByLabel('Reported health', { exact: true }).selectOption({ label: 'On track' });
    await expect.poll(() => programOrder(page)).toEqual(['WFM']);
    // a filter that matches nothing says so and offers the way back
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'Data' });
    await page.getByRole('heading', { name: 'No programs match these filters' }).waitFor();
    await page.getByRole('link', { name: 'clear the filters' }).click();
    await expect.poll(() => rows(page).count()).toBe(all);

    const owner = page.getByLabel('Owner', { exact: true });
    await owner.selectOption({ label: 'Priya Manager' });
    await expect.poll(() => rows(page).count()).toBe(all);
    expect(page.url()).toContain('owner=');
    await page.context().close();
  });

  it('sorts by any column from the keyboard, with aria-sort', async () => {
    const page = await h.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'leader@demo.tandem');
    await page.waitForURL('**/portfolio');
    const slip = page.getByRole('button', { name: 'Slip vs baseline' });
    const header = page.getByRole('columnheader', { name: 'Slip vs baseline' });

    await slip.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await page.keyboard.press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    // KB slipped 20 days, QA 10
    await expect.poll(async () => (await programOrder(page)).slice(0, 2)).toEqual(['KB', 'QA']);
    expect(page.url()).toContain('sort=slip');
    // focus stays on the header, so the next key press sorts again
    expect(await slip.evaluate((el) => el === document.activeElement)).toBe(true);

    // the previous header, with Space this time
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByRole('columnheader', { name: 'Next milestone' }).getAttribute('aria-sort')).toBe('ascending');
    expect(await header.getAttribute('aria-sort')).toBeNull();
    await page.context().close();
  });

  it('changes a row live when the program manager posts an update (no reload)', async () => {
    const leader = await h.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(leader, 'leader@demo.tandem');
    await leader.waitForURL('**/portfolio');
    await leader.locator('.live-word', { hasText: /^Live$/ }).waitFor();
    expect(await row(leader, 'WFM').locator('td.reported').textContent()).toContain('On track');
    await leader.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    // the program manager, in another browser context with their own session, posts an update
    const pm = await h.newPage();
    await signIn(pm, 'pm@demo.tandem');
    const posted = await pm.request.post('/api/v1/programs/WFM/updates', {
      data: { health: 'off_track', narrative: 'Forecast accuracy dropped below 80% at two sites.' },
    });
    expect(posted.status()).toBe(201);

    const started = Date.now();
    await expect.poll(() => row(leader, 'WFM').locator('td.reported').textContent(), { timeout: 5000 }).toContain('Off track');
    expect(Date.now() - started).toBeLessThan(5000);
    // the same page, never reloaded
    expect(await leader.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    // ...and the health chart picks up the new update for that program
    await leader.getByText('Show the health history as a table').click();
    const history = leader.locator('details', { hasText: 'Show the health history as a table' });
    await expect.poll(() => history.locator('tbody tr', { hasText: 'WFM' }).count(), { timeout: 5000 }).toBe(2);
    await h.screenshot(leader, 'portfolio-live-updated');
    await pm.context().close();
    await leader.context().close();
  });

  it('says the session has ended, not "Connecting…" for good, when it is ended in another tab, and offers the way back', async () => {
    const leader = await h.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(leader, 'leader@demo.tandem');
    await leader.waitForURL('**/portfolio');
    await leader.locator('.live-word', { hasText: /^Live$/ }).waitFor();

    // another tab of the same browser signs out: the server ends this tab's /live connection too
    expect((await leader.context().request.post('/api/v1/auth/logout')).status()).toBe(204);

    // the wall display says so, instead of "Connecting…" over numbers that no longer change
    await leader.getByRole('alert').filter({ hasText: 'Your session has ended.' }).waitFor({ timeout: 10_000 });
    await leader.locator('.live-word', { hasText: /^Signed out$/ }).waitFor();
    // ...and offers the way back, to this page
    await leader.getByRole('link', { name: 'Sign in again' }).click();
    await leader.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/portfolio');
    await leader.getByLabel('Email').fill('leader@demo.tandem');
    await leader.getByLabel('Password').fill('demo-password');
    await leader.getByRole('button', { name: 'Sign in' }).click();
    await leader.waitForURL((url) => url.pathname === '/portfolio');
    await leader.locator('.live-word', { hasText: /^Live$/ }).waitFor({ timeout: 10_000 });
    expect(await leader.getByRole('alert').filter({ hasText: 'Your session has ended.' }).count()).toBe(0);
    await leader.context().close();
  });

  it('refetches when the UTC day turns: a wall display marks what was due yesterday overdue without a reload', async () => {
    // a milestone due today (UTC, the day the api counts in) and nothing else to show next
    const pm = await person(h, 'pm@demo.tandem');
    const today = new Date().toISOString().slice(0, 10);
    expect((await pm.request.post('/api/v1/programs', { data: { key: 'DAYTURN', name: 'Day turn' } })).status()).toBe(201);
    expect((await pm.request.post('/api/v1/programs/DAYTURN/milestones', { data: { title: 'Due by tonight', dueDate: today } })).status()).toBe(201);
    await pm.context().close();

    // the browser's clock a minute before this UTC day ends; nobody changes anything after that
    const midnight = Date.parse(`${today}T00:00:00Z`) + 86_400_000;
    const leader = await h.newPage({ viewport: { width: 1280, height: 900 } });
    await leader.clock.install({ time: midnight - 60_000 });
    await signIn(leader, 'leader@demo.tandem');
    await leader.waitForURL('**/portfolio');
    const due = row(leader, 'DAYTURN').locator('.due');
    expect(await due.textContent()).not.toContain('overdue');
    await leader.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

    const refetched = leader.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/portfolio', { timeout: 10_000 });
    const now = await leader.evaluate(() => Date.now());
    await leader.clock.fastForward(midnight + 10_000 - now);
    await refetched;
    await expect.poll(() => due.textContent(), { timeout: 5000 }).toContain('overdue');
    expect(await leader.locator('.live').textContent()).toContain(`refreshed ${new Date(midnight).getUTCDate()} `);
    expect(await leader.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
    await leader.context().close();
  });

  it('draws the health history when a program reports several times in one day', async () => {
    // three updates on one day: the first two each last less than a day
    const pm = await person(h, 'pm@demo.tandem');
    expect((await pm.request.post('/api/v1/programs', { data: { key: 'TRIPLE', name: 'Three updates a day' } })).status()).toBe(201);
    for (const health of ['on_track', 'off_track', 'at_risk']) {
      expect((await pm.request.post('/api/v1/programs/TRIPLE/updates', { data: { health, narrative: `Now ${health}` } })).status()).toBe(201);
    }
    await pm.context().close();

    const leader = await h.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    leader.on('pageerror', (e) => errors.push(e.message));
    await signIn(leader, 'leader@demo.tandem');
    await leader.waitForURL('**/portfolio');
    await chartsDrawn(leader);
    await leader.getByText('Show the health history as a table').click();
    const triple = leader.locator('details', { hasText: 'Show the health history as a table' }).locator('tbody tr', { hasText: 'TRIPLE' });
    expect((await triple.allInnerTexts()).map((t) => t.split('\t')[1])).toEqual(['On track', 'Off track', 'At risk']);
    expect(errors).toEqual([]);
    await leader.context().close();
  });

  it('draws every update of the last 120 days, however many, from the health in force when the window opens', async () => {
    // 60 daily updates (the first 10 off track), one in force when the window opens, one older still
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const history: [number, string][] = [[200, 'at_risk'], [130, 'off_track']];
    for (let n = 60; n >= 1; n--) history.push([n, n > 50 ? 'off_track' : 'on_track']);
    const pm = await person(h, 'pm@demo.tandem');
    expect((await pm.request.post('/api/v1/programs', { data: { key: 'DAILY', name: 'Reports daily' } })).status()).toBe(201);
    for (const [n, health] of history) {
      expect((await pm.request.post('/api/v1/programs/DAILY/updates', { data: { health, narrative: `day -${n}` } })).status()).toBe(201);
    }
    await pm.context().close();
    // the api stamps each update with the time it is posted: move them into the past
    const db = new pg.Client({ connectionString: h.databaseUrl });
    await db.connect();
    try {
      for (const [n] of history) await db.query(`UPDATE status_update SET created_at = $1 WHERE narrative = $2`, [`${day(n)}T12:00:00Z`, `day -${n}`]);
    } finally {
      await db.end();
    }

    const leader = await h.newPage({ viewport: { width: 1280, height: 900 } });
    const fetched: Promise<{ items: { narrative: string }[] }>[] = [];
    leader.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/programs/DAILY/updates') fetched.push(r.json());
    });
    await signIn(leader, 'leader@demo.tandem');
    await leader.waitForURL('**/portfolio');
    await chartsDrawn(leader);
    // one request, and the update older than the one in force is not among what it loaded
    expect(fetched).toHaveLength(1);
    expect((await fetched[0])!.items.map((u) => u.narrative)).not.toContain('day -200');
    await leader.getByText('Show the health history as a table').click();
    const daily = leader.locator('details', { hasText: 'Show the health history as a table' }).locator('tbody tr', { hasText: 'DAILY' });
    // program, health, reported on ("12 Mar 2026"), until
    const cells = (await daily.allInnerTexts()).map((t) => t.split('\t'));
    const shownDay = (shown: string | undefined) => new Date(`${shown} UTC`).toISOString().slice(0, 10);
    expect(cells.map((c) => c[1])).toEqual(['Off track', ...Array(10).fill('Off track'), ...Array(50).fill('On track')]);
    // the first stretch is the health in force when the window opened; nothing older is drawn
    expect(cells.map((c) => shownDay(c[2]))).toEqual(history.slice(1).map(([n]) => day(n)));
    expect(cells.at(-1)?.[3]).toBe('today');
    await leader.context().close();
  });

  it('shows leadership a missed go-live and overdue go-live checklist items as overdue, and in computed health', async () => {
    // the program manager's plan: Pilot should have gone live 10 days ago and is still in
    // progress; GA is a month out, with a required item already past due. The owner reports on track.
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const pm = await person(h, 'pm@demo.tandem');
    const api = async (path: string, data: object, method: 'post' | 'patch' = 'post') => {
      const res = await pm.request[method](`/api/v1${path}`, { data });
      expect(res.status(), await res.text()).toBeLessThan(300);
      return (await res.json()) as { id: string };
    };
    await api('/programs', { key: 'GOLIVE', name: 'Missed go-live' });
    const pilot = await api('/programs/GOLIVE/waves', { name: 'Pilot', plannedGoLive: day(-10) });
    await api(`/waves/${pilot.id}`, { status: 'in_progress' }, 'patch');
    const ga = await api('/programs/GOLIVE/waves', { name: 'GA', plannedGoLive: day(30) });
    await api(`/waves/${ga.id}/checklist`, { title: 'Training plan signed off', dueDate: day(-2) });
    await api(`/waves/${ga.id}/checklist`, { title: 'Nice to have', dueDate: day(-2), required: false });
    await api('/programs/GOLIVE/updates', { health: 'on_track', narrative: 'All good.' });
    await pm.context().close();

    const leader = await h.newPage({ viewport: { width: 1360, height: 1000 } });
    await signIn(leader, 'leader@demo.tandem');
    await leader.waitForURL('**/portfolio');
    const golive = row(leader, 'GOLIVE');
    const overdue = golive.locator('td').nth(5);
    // the Overdue column names the missed go-live, then the overdue checklist item
    const lines = (await overdue.getByRole('list', { name: 'Overdue' }).getByRole('listitem').allInnerTexts()).map((t) => t.replace(/^⚠\s*/, '⚠ '));
    expect(lines).toEqual(['⚠ Pilot go-live, 10 days late', '1 checklist item']);
    // computed health says off track and why, in words, beside the on-track report
    const computed = golive.locator('td').nth(1);
    expect(await computed.textContent()).toContain('Off track');
    expect(await computed.getByRole('list', { name: 'Why' }).getByRole('listitem').allInnerTexts()).toEqual([
      `Pilot go-live overdue by 10 days (planned ${day(-10)})`,
      '1 go-live checklist item overdue, gating GA',
    ]);
    expect(await computed.textContent()).toContain('differs from reported');
    // sorting by Overdue, most first, puts it at the top
    await leader.goto('/portfolio?sort=overdue&dir=descending');
    await expect.poll(async () => (await programOrder(leader))[0]).toBe('GOLIVE');
    await h.screenshot(leader, 'portfolio-missed-go-live');

    // the program's signals panel says the same
    await leader.goto('/programs/GOLIVE');
    const panel = leader.getByRole('region', { name: 'Signals' });
    await panel.waitFor();
    expect(await panel.locator('div', { has: leader.locator('dt', { hasText: /^Overdue go-lives$/ }) }).locator('dd').innerText()).toMatch(/^⚠\s*Pilot 10 days late\s+planned /);
    expect(await panel.locator('div', { has: leader.locator('dt', { hasText: /^Overdue checklist items$/ }) }).locator('dd').innerText()).toMatch(/^⚠\s*1$/);
    await leader.context().close();
  });

  it("lands a program's next-milestone link on that milestone's row, focused and marked", async () => {
    const page = await h.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'leader@demo.tandem');
    await page.waitForURL('**/portfolio');
    const link = row(page, 'QA').locator('a[href*="/milestones#milestone-"]');
    const href = (await link.getAttribute('href'))!;
    const id = href.split('#milestone-')[1]!;
    await link.click();
    await page.waitForURL((url) => url.pathname === '/programs/QA/milestones' && url.hash === `#milestone-${id}`);
    const target = page.locator(`tr#milestone-${id}`);
    await expect.poll(() => target.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await target.getAttribute('class')).toContain('landed');
    expect(await target.isVisible()).toBe(true);
    await page.context().close();
  });

  it('has no serious or critical axe violations, light and dark', async () => {
    const page = await h.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'leader@demo.tandem');
    await page.waitForURL('**/portfolio');
    await chartsDrawn(page);
    const light = await seriousViolations(page);

    await page.getByRole('button', { name: 'Dark mode' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await chartsDrawn(page);
    const dark = await seriousViolations(page);
    await h.screenshot(page, 'portfolio-dark');

    expect({ light, dark }).toEqual({ light: [], dark: [] });
    await page.context().close();
  }, 120_000);

  // axe over a long phone-width page is slow on a busy machine: one test per theme, more time
  it.each(['light', 'dark'] as const)('shows cards at phone width without horizontal scrolling (%s)', async (theme) => {
    const page = await h.newPage({ viewport: { width: 375, height: 812 }, colorScheme: theme });
    await signIn(page, 'leader@demo.tandem');
    await page.waitForURL('**/portfolio');
    const cards = page.getByRole('list', { name: 'Portfolio' }).getByRole('listitem');
    expect(await cards.count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByRole('table', { name: 'Portfolio' }).isVisible()).toBe(false);
    await chartsDrawn(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await h.screenshot(page, `portfolio-375-${theme}`);
    await page.context().close();
  }, 120_000);
});
