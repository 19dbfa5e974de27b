import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations, signIn, submitSignIn, useHarness } from './harness';

const h = useHarness();

/** Signs in through the login form and waits for the programs list. */
async function signInToPrograms(page: Page, email: string): Promise<void> {
  await signIn(page, email);
  // Leadership lands on the portfolio; everyone else on the program list.
  if (new URL(page.url()).pathname !== '/') await page.goto('/');
  await page.getByRole('heading', { level: 1, name: 'Programs' }).waitFor();
}

const programList = (page: Page) => page.getByRole('list', { name: 'Program list' });

/** Clicks "Load more" until every program is shown; returns how many there are. */
async function countAllPrograms(page: Page): Promise<number> {
  const more = page.getByRole('button', { name: 'Load more' });
  for (let i = 0; i < 50 && (await more.count()) > 0; i++) {
    const before = await programList(page).getByRole('listitem').count();
    await more.click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('.program-list > li').length > n || !document.querySelector('.list-footer button'),
      before,
    );
  }
  if ((await page.getByRole('heading', { name: 'No programs yet' }).count()) > 0) return 0;
  return programList(page).getByRole('listitem').count();
}


describe('signing in and reading programs (real browser, real api)', () => {
  it('signs a program manager in and shows their programs and a program with its members', async () => {
    const page = await h.newPage();
    await signInToPrograms(page, 'pm@demo.tandem');

    const items = programList(page).getByRole('listitem');
    expect(await items.count()).toBeGreaterThanOrEqual(3);
    const qa = page.getByRole('link', { name: 'QA program rollout' });
    await expect.poll(() => qa.count()).toBe(1);
    // who am I, in the header
    const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { name: string };
    await expect.poll(() => page.getByRole('banner').textContent()).toContain(me.name);
    await h.screenshot(page, 'programs-pm');

    await qa.click();
    await page.waitForURL(/\/programs\/[^/]+$/);
    await page.getByRole('heading', { level: 1, name: 'QA program rollout' }).waitFor();
    const members = page.getByRole('table').getByRole('row');
    // header row plus at least one member
    expect(await members.count()).toBeGreaterThanOrEqual(2);
    await h.screenshot(page, 'program-qa');

    // a full page load (SSR through the api's internal origin, with the session cookie) shows the same
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'QA program rollout' }).waitFor();
    expect(await page.getByRole('table').getByRole('row').count()).toBeGreaterThanOrEqual(2);

    // an unknown program is a proper not-found page inside the signed-in shell
    const missing = await page.goto('/programs/NOPE404');
    expect(missing?.status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Program not found' }).waitFor();
    await h.screenshot(page, 'program-not-found');

    // sign out ends the session
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.context().close();
  });

  it('keeps someone with a wrong password on the sign-in page and says why', async () => {
    const page = await h.newPage();
    await submitSignIn(page, 'pm@demo.tandem', 'not-the-password');
    const alert = page.getByRole('alert').filter({ hasText: 'Email or password is incorrect' });
    await alert.waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await h.screenshot(page, 'login-wrong-password');
    await page.context().close();
  });

  it('shows a partner fewer programs than an admin', async () => {
    const admin = await h.newPage();
    await signInToPrograms(admin, 'admin@demo.tandem');
    const adminCount = await countAllPrograms(admin);
    await h.screenshot(admin, 'programs-admin');
    await admin.context().close();

    const partner = await h.newPage();
    await signInToPrograms(partner, 'partner@demo.tandem');
    const partnerCount = await countAllPrograms(partner);
    await h.screenshot(partner, 'programs-partner');
    await partner.context().close();

    expect(adminCount).toBeGreaterThan(0);
    expect(partnerCount).toBeLessThan(adminCount);
  });

  it('gives leadership no "New program" control', async () => {
    const page = await h.newPage();
    await signInToPrograms(page, 'leader@demo.tandem');
    expect(await programList(page).getByRole('listitem').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: /new program/i }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /new program/i }).count()).toBe(0);
    await h.screenshot(page, 'programs-leader');
    await page.context().close();

    // ...while a member has one
    const pm = await h.newPage();
    await signInToPrograms(pm, 'pm@demo.tandem');
    expect(await pm.getByRole('button', { name: 'New program' }).count()).toBe(1);
    await pm.context().close();
  });

  it('has no serious or critical axe violations on sign-in, the list and a program', async () => {
    const page = await h.newPage();
    await page.goto('/login');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const login = await seriousViolations(page);
    await h.screenshot(page, 'login');

    await signInToPrograms(page, 'pm@demo.tandem');
    // with the new-program form open, so the form is checked too
    await page.getByRole('button', { name: 'New program' }).click();
    await page.getByRole('heading', { level: 2, name: 'New program' }).waitFor();
    const list = await seriousViolations(page);
    await h.screenshot(page, 'programs-new-form');

    await page.getByRole('link', { name: 'QA program rollout' }).click();
    await page.getByRole('heading', { level: 1, name: 'QA program rollout' }).waitFor();
    const program = await seriousViolations(page);

    expect({ login, list, program }).toEqual({ login: [], list: [], program: [] });
    await page.context().close();
  });

  it('fits a 375px wide screen without horizontal scrolling', async () => {
    const page = await h.newPage({ viewport: { width: 375, height: 812 } });
    await page.goto('/login');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await h.screenshot(page, 'login-375');

    await signInToPrograms(page, 'pm@demo.tandem');
    const overflow = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    await h.screenshot(page, 'programs-375');
    expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.clientWidth);
    await page.context().close();
  });
});
