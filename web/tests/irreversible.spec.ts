/**
 * What cannot be taken back is asked first, and said after: revoking a share link, resetting the
 * calendar feed address, deactivating a person. Each in a real Chromium against the real api (fresh
 * PostgreSQL, demo data); cancelling — by Escape or the Cancel button — is checked through the api
 * to have changed nothing, and focus to be back on the button that asked. Screenshots go to
 * web/test-results/irreversible-*.png.
 */
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { desktopPage, seriousViolations, signIn, signInByApi, useHarness, whenReady } from './harness';

const h = useHarness();

const open = (options: BrowserContextOptions = {}): Promise<Page> => desktopPage(h, options);

const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

/** Opens the question from `button`, checks focus went into it on Cancel, then dismisses it: by Escape, then by Cancel. */
async function cancelTwice(page: Page, button: Locator, dialog: Locator): Promise<void> {
  for (const how of ['Escape', 'Cancel'] as const) {
    await button.click();
    await dialog.waitFor();
    await expect.poll(() => isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    if (how === 'Escape') await page.keyboard.press('Escape');
    else await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => isFocused(button), { message: `focus back on the button after ${how}` }).toBe(true);
  }
}

describe('irreversible actions ask first and say what they did (real browser, real api)', () => {
  it('asks before revoking a share link; cancelling keeps the link working', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await page.goto('/programs/QA');
    await whenReady(page, 'Create share link');
    await page.getByRole('button', { name: 'Create share link' }).click();
    const url = await page.getByLabel('New share link').inputValue();
    const token = url.slice(url.lastIndexOf('/') + 1);
    const report = () => page.request.get(`/api/v1/shared/${token}/report`).then((r) => r.status());
    expect(await report()).toBe(200);

    const revoke = page.getByRole('list', { name: 'Share links' }).getByRole('button', { name: /^Revoke/ }).first();
    const dialog = page.getByRole('dialog', { name: 'Revoke this share link?' });
    await revoke.click();
    await dialog.getByText('loses the status report at once. This cannot be undone', { exact: false }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'irreversible-share-link');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await cancelTwice(page, revoke, dialog);
    expect(await report(), 'the link still opens the report').toBe(200);

    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke link' }).click();
    await page.locator('.toasts').getByText('Share link revoked', { exact: false }).waitFor();
    expect(await report()).toBe(404);
    const links = (await (await page.request.get('/api/v1/programs/QA/share-links')).json()) as { items: { active: boolean; revokedAt: string | null }[] };
    expect(links.items.filter((l) => l.active)).toEqual([]);
    await expect.poll(() => isFocused(page.getByRole('heading', { name: 'Share links' }))).toBe(true);
    await page.context().close();
  }, 180_000);

  it('makes a first calendar feed at once, but asks before resetting its address', async () => {
    const page = await open();
    await signInByApi(page, 'partner@demo.tandem');
    await page.goto('/programs/QA');
    await whenReady(page, 'Make a calendar feed');
    await page.getByRole('button', { name: 'Make a calendar feed' }).click();
    const first = await page.getByRole('textbox', { name: 'Your calendar feed address' }).inputValue();
    const feed = (address: string) => page.request.get(new URL(address).pathname).then((r) => r.status());
    expect(await feed(first)).toBe(200);

    const reset = page.getByRole('button', { name: /^Reset calendar feed address/ });
    const dialog = page.getByRole('dialog', { name: 'Reset your calendar feed address?' });
    await reset.click();
    await dialog.getByText('every calendar subscribed to it stops updating', { exact: false }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'irreversible-calendar');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await cancelTwice(page, reset, dialog);
    expect(await feed(first), 'the address in use still answers').toBe(200);
    expect(await page.getByRole('textbox', { name: 'Your calendar feed address' }).inputValue()).toBe(first);

    await reset.click();
    await dialog.getByRole('button', { name: 'Reset address' }).click();
    await page.locator('.toasts').getByText('the old address no longer works', { exact: false }).waitFor();
    const second = await page.getByRole('textbox', { name: 'Your calendar feed address' }).inputValue();
    expect(second).not.toBe(first);
    expect(await feed(first)).toBe(404);
    expect(await feed(second)).toBe(200);
    await page.context().close();
  }, 180_000);

  it('tells the admin before and after that deactivating someone revokes their API tokens, which reactivation does not bring back', async () => {
    const admin = await open();
    await signIn(admin, 'admin@demo.tandem');
    const email = `sam.${Date.now()}@example.test`;
    const made = await admin.request.post('/api/v1/users', { data: { email, name: 'Sam Okafor', orgRole: 'member', password: 'a-long-password' } });
    expect(made.status()).toBe(201);
    const sam = (await made.json()) as { id: string };

    // Sam signs in and makes two tokens for scripts
    const theirs = await open();
    await signInByApi(theirs, email, 'a-long-password');
    const tokens: string[] = [];
    for (const name of ['nightly export', 'dashboard']) {
      const res = await theirs.request.post('/api/v1/tokens', { data: { name, scope: 'read' } });
      tokens.push(((await res.json()) as { token: string }).token);
    }
    const asScript = (token: string) => fetch(`${h.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    const samNow = async () => ((await (await admin.request.get(`/api/v1/users/${sam.id}`)).json()) as { active: boolean }).active;

    // the page is found from Settings
    await whenReady(admin, 'Settings');
    await admin.getByRole('button', { name: 'Settings' }).click();
    await admin.getByRole('dialog', { name: 'Settings' }).getByRole('link', { name: 'People' }).click();
    await admin.waitForURL('**/admin/people');
    await admin.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    const deactivate = admin.getByRole('button', { name: 'Deactivate Sam Okafor' });
    await whenReady(admin, 'Deactivate Sam Okafor');

    const dialog = admin.getByRole('dialog', { name: 'Deactivate Sam Okafor?' });
    await deactivate.click();
    await dialog
      .getByText(
        'Deactivating Sam Okafor signs them out everywhere (signed in on 1 browser or device now) and revokes their 2 API tokens for good. ' +
          'Reactivating Sam Okafor later lets them sign in again, but the tokens stay revoked.',
        { exact: false },
      )
      .waitFor();
    expect(await seriousViolations(admin)).toEqual([]);
    await h.screenshot(admin, 'irreversible-deactivate');
    await admin.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await cancelTwice(admin, deactivate, dialog);
    expect(await samNow(), 'Sam is still active').toBe(true);
    expect(await Promise.all(tokens.map(asScript))).toEqual([200, 200]);
    expect((await theirs.request.get('/api/v1/auth/me')).status()).toBe(200);

    await deactivate.click();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await admin.locator('.toasts').getByText('Deactivated Sam Okafor: signed out of 1 session, revoked their 2 API tokens for good.').waitFor();
    expect(await samNow()).toBe(false);
    expect(await Promise.all(tokens.map(asScript))).toEqual([401, 401]);
    expect((await theirs.request.get('/api/v1/auth/me')).status()).toBe(401);
    const reactivate = admin.getByRole('button', { name: 'Reactivate Sam Okafor' });
    await expect.poll(() => isFocused(reactivate)).toBe(true);

    // reactivation says plainly that the tokens stay revoked — and they do
    await reactivate.click();
    await admin.locator('.toasts').getByText('Sam Okafor can sign in again. API tokens revoked when they were deactivated stay revoked', { exact: false }).waitFor();
    expect(await samNow()).toBe(true);
    expect(await Promise.all(tokens.map(asScript))).toEqual([401, 401]);
    await signInByApi(theirs, email, 'a-long-password');
    expect(((await (await theirs.request.get('/api/v1/tokens')).json()) as { items: unknown[] }).items).toEqual([]);
    await theirs.context().close();
    await admin.context().close();
  }, 180_000);

  it('keeps the people page to admins', async () => {
    const page = await open();
    await signInByApi(page, 'pm@demo.tandem');
    await page.goto('/admin/people');
    await page.getByText('Only admins manage people').waitFor();
    expect(await page.getByRole('button', { name: /^Deactivate/ }).count()).toBe(0);
    await page.context().close();
  }, 120_000);
});
