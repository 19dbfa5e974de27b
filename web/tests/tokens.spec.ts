/**
 * Personal API tokens (/me/tokens) in a real Chromium against the real api (fresh PostgreSQL, demo
 * data): found from Settings, made with its secret shown once, used as a bearer token by a script
 * (plain fetch, no cookies), revoked with a confirmation; what a refusal looks like; axe and the
 * phone and dark looks. Screenshots go to web/test-results/tokens-*.png.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { desktopPage, PHONE_AND_DARK, seriousViolations, sidewaysOverflow, signIn, signInByApi, useHarness, whenReady } from './harness';

const h = useHarness();

const open = (options: BrowserContextOptions = {}): Promise<Page> => desktopPage(h, options);

/** A script's call: the token alone, no session cookie. */
const asScript = (token: string, path: string, init: RequestInit = {}) =>
  fetch(`${h.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('personal API tokens (real browser, real api)', () => {
  it('lets a person make a token from Settings, use it from a script, and revoke it', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await whenReady(page, 'Settings');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('link', { name: 'API tokens' }).click();
    await page.waitForURL('**/me/tokens');
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    expect(await page.getByRole('dialog', { name: 'Settings' }).isVisible()).toBe(false);
    await page.getByText('You have no API tokens.').waitFor();
    await whenReady(page, 'Make token');
    expect(await seriousViolations(page)).toEqual([]);

    // a nameless token is refused beside the field, before anything is sent
    await page.getByRole('button', { name: 'Make token' }).click();
    await page.locator('#token-name-error').getByText('Name must not be empty').waitFor();
    expect(await page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => focusedId(page)).toBe('token-name');

    await page.getByLabel('Name').fill('Weekly report script');
    expect(await page.getByRole('radio', { name: 'Read only' }).isChecked()).toBe(true);
    await page.getByLabel('Expires after').selectOption({ label: '30 days' });
    await page.getByRole('button', { name: 'Make token' }).click();

    // the secret, once, in a copyable field that has the focus
    const secret = page.getByRole('textbox', { name: 'Your new token “Weekly report script”' });
    await secret.waitFor();
    const token = await secret.inputValue();
    expect(token).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    await expect.poll(() => focusedId(page)).toBe('new-token-secret');
    await page.getByText('Copy it now: you will not see it again.', { exact: false }).waitFor();
    const row = page.getByRole('row', { name: /Weekly report script/ });
    await row.getByRole('cell', { name: 'Read only' }).waitFor();
    expect(await row.getByRole('cell', { name: 'Never', exact: true }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'tokens-made');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await secret.count()).toBe(0);
    await expect.poll(() => focusedId(page)).toBe('token-name');

    // the token works for a script; it is read-only, and cannot manage tokens
    const programs = await asScript(token, '/api/v1/programs');
    expect(programs.status).toBe(200);
    expect(((await programs.json()) as { items: { key: string }[] }).items.map((p) => p.key)).toContain('QA');
    const write = await asScript(token, '/api/v1/programs', { method: 'POST', body: JSON.stringify({ key: 'TOKW', name: 'By token' }) });
    expect(write.status).toBe(403);
    expect((await asScript(token, '/api/v1/tokens')).status).toBe(403);

    // listed without its secret, now with when it was last used
    await page.reload();
    await whenReady(page, 'Make token');
    expect(await page.content()).not.toContain(token);
    expect(await row.getByRole('cell', { name: 'Never', exact: true }).count()).toBe(0);
    expect(await row.locator('time').count()).toBe(2);

    // cancelling the confirmation changes nothing and gives the focus back
    const revoke = page.getByRole('button', { name: 'Revoke Weekly report script' });
    await revoke.click();
    const dialog = page.getByRole('dialog', { name: 'Revoke “Weekly report script”?' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'tokens-revoke-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => revoke.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await asScript(token, '/api/v1/programs')).status).toBe(200);

    await revoke.click();
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('You have no API tokens.').waitFor();
    await expect.poll(() => focusedId(page)).toBe('token-list-heading');
    expect((await asScript(token, '/api/v1/programs')).status).toBe(401);
    const listed = (await (await page.request.get('/api/v1/tokens')).json()) as { items: unknown[] };
    expect(listed.items).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('makes a read-and-write token that lasts until revoked, and fits a phone and the dark theme', async () => {
    const page = await open();
    await signInByApi(page, 'pm@demo.tandem');
    await page.goto('/me/tokens');
    await whenReady(page, 'Make token');
    await page.getByLabel('Name').fill('Importer');
    await page.getByRole('radio', { name: 'Read and write' }).check();
    await page.getByLabel('Expires after').selectOption({ label: 'No expiry (until revoked)' });
    await page.getByRole('button', { name: 'Make token' }).click();
    const token = await page.getByRole('textbox', { name: 'Your new token “Importer”' }).inputValue();
    const row = page.getByRole('row', { name: /Importer/ });
    await row.getByRole('cell', { name: 'Read and write' }).waitFor();

    const key = `TK${Date.now() % 100_000}`;
    const made = await asScript(token, '/api/v1/programs', { method: 'POST', body: JSON.stringify({ key, name: 'Made by a script' }) });
    expect(made.status).toBe(201);
    const stored = (await (await page.request.get('/api/v1/tokens')).json()) as { items: { name: string; scope: string; expiresAt: string | null }[] };
    expect(stored.items.filter((t) => t.name === 'Importer')).toEqual([expect.objectContaining({ scope: 'write', expiresAt: null })]);
    await page.context().close();

    for (const [name, options] of PHONE_AND_DARK) {
      const look = await open(options);
      await signInByApi(look, 'pm@demo.tandem');
      await look.goto('/me/tokens');
      await whenReady(look, 'Make token');
      await look.getByRole('row', { name: /Importer/ }).waitFor();
      const overflow = await sidewaysOverflow(look);
      expect(overflow.extra, `${name}: ${overflow.culprits.join(', ')}`).toBeLessThanOrEqual(0);
      expect(await seriousViolations(look), name).toEqual([]);
      await h.screenshot(look, `tokens-${name}`);
      await look.context().close();
    }
  }, 180_000);

  it('says plainly when the api refuses a person their tokens', async () => {
    const page = await open();
    await signInByApi(page, 'leader@demo.tandem');
    await page.goto('/');
    await whenReady(page, 'Search');
    // the page's own load runs in the browser after a client-side navigation: answer it with a refusal
    const refusal = { statusCode: 403, error: 'Forbidden', message: 'API tokens are turned off for your role' };
    await page.route('**/api/v1/tokens', (route) => route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify(refusal) }));
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Search programs, milestones and docs' }).fill('tokens');
    await page.getByRole('option', { name: /API tokens/ }).click();
    await page.waitForURL('**/me/tokens');
    await page.getByRole('heading', { level: 2, name: 'Not available to you' }).waitFor();
    await page.getByText('Tandem does not let you manage API tokens: API tokens are turned off for your role').waitFor();
    expect(await page.getByRole('button', { name: 'Make token' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    // and when only making one is refused, the form says so
    await page.unroute('**/api/v1/tokens');
    await page.reload();
    await whenReady(page, 'Make token');
    // leadership changes nothing, so its tokens only read: that is the one choice, and it says why
    expect(await page.getByRole('radio').count()).toBe(1);
    expect(await page.getByRole('radio', { name: 'Read only' }).isChecked()).toBe(true);
    await page.getByText('Tokens of this account can only be read: a leadership account reads everything and changes nothing.').waitFor();
    await page.route('**/api/v1/tokens', (route) =>
      route.request().method() === 'POST' ? route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify(refusal) }) : route.continue(),
    );
    await page.getByLabel('Name').fill('Board pack');
    await page.getByRole('button', { name: 'Make token' }).click();
    await page.getByRole('alert').getByText('You may not make API tokens: API tokens are turned off for your role').waitFor();
    await page.context().close();
  }, 120_000);
});
