/**
 * The app shell in a real Chromium against the real api with demo data: command palette (Ctrl-K
 * and the Search button), keyboard shortcuts and turning them off, dark mode, the skip link and
 * the toast region. Screenshots go to web/test-results/shell-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations, signIn, useHarness, whenReady } from './harness';

const h = useHarness();

/** Signs in, then waits until the shell is interactive (its buttons are enabled then). */
async function signInToShell(page: Page, email: string): Promise<void> {
  await signIn(page, email);
  await whenReady(page, 'Search');
}

const palette = (page: Page) => page.getByRole('dialog', { name: 'Go to a program, milestone or doc' });
const paletteInput = (page: Page) => page.getByRole('combobox', { name: 'Search programs, milestones and docs' });
const path = (page: Page) => new URL(page.url()).pathname;


describe('app shell (real browser, real api, demo data)', () => {
  it('opens the command palette with Ctrl-K and goes to a program', async () => {
    const page = await h.newPage();
    await signInToShell(page, 'pm@demo.tandem');
    expect(path(page)).toBe('/');

    await page.keyboard.press('Control+k');
    await palette(page).waitFor();
    expect(await paletteInput(page).evaluate((el) => el === document.activeElement)).toBe(true);
    await paletteInput(page).pressSequentially('wfm');
    const option = page.getByRole('option', { name: /WFM forecasting rollout/ });
    await option.waitFor();
    await expect.poll(() => option.getAttribute('aria-selected')).toBe('true');
    await h.screenshot(page, 'shell-palette');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/programs/WFM');
    expect(await palette(page).isVisible()).toBe(false);
    await page.context().close();
  });

  it('finds milestones and docs, moves with the arrow keys and closes with Escape', async () => {
    const page = await h.newPage();
    await signInToShell(page, 'pm@demo.tandem');
    const search = page.getByRole('button', { name: 'Search' });
    await search.click();
    await palette(page).waitFor();

    // milestones are fetched per program while typing
    await paletteInput(page).fill('calibration');
    await page.getByRole('option', { name: /Calibration sessions for team leads/ }).waitFor();
    await paletteInput(page).fill('rollout plan');
    const doc = page.getByRole('option', { name: /QA rollout plan/ });
    await doc.waitFor();
    await page.getByRole('group', { name: 'Plans and retros' }).waitFor();
    // arrow keys move the active option (aria-activedescendant) until the doc is active
    for (let i = 0; i < 10 && (await doc.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
    expect(await doc.getAttribute('aria-selected')).toBe('true');
    const active = await paletteInput(page).getAttribute('aria-activedescendant');
    expect(active).toBe(await doc.getAttribute('id'));
    expect(await seriousViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    await expect.poll(() => palette(page).isVisible()).toBe(false);
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);

    // and Enter on a doc opens it
    await page.keyboard.press('Control+k');
    await paletteInput(page).fill('rollout plan');
    await page.getByRole('option', { name: /QA rollout plan/ }).click();
    await page.waitForURL(/\/programs\/QA\/docs\/[0-9a-f-]+$/);
    await page.context().close();
  });

  it('has keyboard shortcuts that can be turned off, and stay off', async () => {
    const page = await h.newPage();
    await signInToShell(page, 'pm@demo.tandem');
    await page.locator('body').click({ position: { x: 5, y: 300 } });

    await page.keyboard.press('g');
    await page.keyboard.press('p');
    await page.waitForURL('**/portfolio');
    await page.keyboard.press('g');
    await page.keyboard.press('h');
    await page.waitForURL((url) => url.pathname === '/');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await h.screenshot(page, 'shell-shortcut-help');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);

    // typing in a field never triggers them
    await page.keyboard.press('Control+k');
    await paletteInput(page).pressSequentially('gp');
    expect(path(page)).toBe('/');
    await page.keyboard.press('Escape');

    // turn them off in Settings
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.waitFor();
    await settings.getByRole('checkbox', { name: 'Single-key shortcuts' }).uncheck();
    await h.screenshot(page, 'shell-settings');
    await settings.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => settings.isVisible()).toBe(false);

    const tryGoToPortfolio = async () => {
      await page.locator('body').click({ position: { x: 5, y: 300 } });
      await page.keyboard.press('g');
      await page.keyboard.press('p');
      await page.waitForTimeout(800);
      expect(path(page)).toBe('/');
    };
    await tryGoToPortfolio();
    await page.keyboard.press('?');
    await page.waitForTimeout(300);
    expect(await help.isVisible()).toBe(false);
    // the choice is kept in this browser
    await page.reload();
    await whenReady(page, 'Search');
    await tryGoToPortfolio();
    // Ctrl-K has a modifier, so it stays on
    await page.keyboard.press('Control+k');
    await palette(page).waitFor();
    await page.context().close();
  });

  it('follows the device theme and switches to dark mode with the toggle, remembered', async () => {
    const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const page = await h.newPage({ colorScheme: 'light' });
    await signInToShell(page, 'leader@demo.tandem');
    const toggle = page.getByRole('button', { name: 'Dark mode' });
    const light = await background(page);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');

    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const dark = await background(page);
    expect(dark).not.toBe(light);
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    // applied before the first paint, from localStorage
    expect(await background(page)).toBe(dark);
    expect(await seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'shell-dark');

    await toggle.click();
    await expect.poll(() => background(page)).toBe(light);
    await page.context().close();

    // with no choice made, a device in dark mode gets the dark theme
    const device = await h.newPage({ colorScheme: 'dark' });
    await signInToShell(device, 'leader@demo.tandem');
    expect(await device.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    expect(await background(device)).toBe(dark);
    expect(await device.getByRole('button', { name: 'Dark mode' }).getAttribute('aria-pressed')).toBe('true');
    await device.context().close();
  }, 120_000);

  it('keeps the skip link first, and the toast region mounted', async () => {
    const page = await h.newPage();
    await signInToShell(page, 'pm@demo.tandem');
    await page.goto('/portfolio');
    await page.getByRole('heading', { level: 1, name: 'Portfolio' }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await page.locator('.toasts[aria-live="polite"]').count()).toBe(1);
    // a program manager is not sent to the portfolio after signing in; leadership is (portfolio.spec)
    await page.context().close();
  });
});
