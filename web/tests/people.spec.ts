/**
 * An admin runs the organisation's people from /admin/people without the api: adds someone with
 * their first password (who then signs in through the login form), is told beside the email field
 * when someone already uses it, changes org roles — asked first before taking admin rights away —
 * and finds people by name or email, deactivated ones kept apart with counts. Real Chromium, real
 * api, fresh PostgreSQL with the demo data. Screenshots go to web/test-results/people-*.png.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations, signIn, signInByApi, useHarness, whenReady } from './harness';

const h = useHarness();

async function open(): Promise<Page> {
  const page = await h.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(45_000);
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  return page;
}

async function peoplePage(): Promise<Page> {
  const admin = await open();
  await signInByApi(admin, 'admin@demo.tandem');
  await admin.goto('/admin/people');
  await whenReady(admin, 'Add person');
  return admin;
}

const isFocused = (l: Locator) => l.evaluate((el) => el === document.activeElement);
const stamp = () => `${Date.now()}${Math.floor(Math.random() * 1000)}`;

interface Listed {
  id: string;
  email: string;
  orgRole: string;
  active: boolean;
}
async function listed(page: Page, email: string): Promise<Listed | undefined> {
  const res = await page.request.get('/api/v1/users?includeInactive=true&limit=200');
  return ((await res.json()) as { items: Listed[] }).items.find((p) => p.email === email);
}

describe('running people from the People page (real browser, real api)', () => {
  it('adds a person with a first password, who then signs in through the login form', async () => {
    const admin = await peoplePage();
    const email = `noor.${stamp()}@example.test`;
    const form = admin.getByRole('form', { name: 'Add a person' });

    // a reason the schema gives goes beside its field, and focus goes there
    await form.getByLabel('Name').fill('Noor Haddad');
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Role').selectOption({ label: 'Leadership (read only)' });
    await form.getByLabel('First password').fill('short');
    await form.getByRole('button', { name: 'Add person' }).click();
    await form.getByText('First password must be at least 10 characters').waitFor();
    await expect.poll(() => isFocused(form.getByLabel('First password'))).toBe(true);
    expect(await form.getByLabel('First password').getAttribute('aria-invalid')).toBe('true');
    expect(await listed(admin, email)).toBeUndefined();

    await form.getByLabel('First password').fill('a-long-first-password');
    await form.getByRole('button', { name: 'Add person' }).click();
    await form
      .getByRole('status')
      .getByText(`Added Noor Haddad as Leadership (read only). They sign in with ${email} and the password you set`, { exact: false })
      .waitFor();
    await expect.poll(() => isFocused(form.getByLabel('Name')), { message: 'focus back on Name, for the next person' }).toBe(true);
    expect(await form.getByLabel('Email').inputValue()).toBe('');
    const active = admin.getByRole('table', { name: 'Active people, by name' });
    await active.getByRole('rowheader', { name: new RegExp(`Noor Haddad ${email.replace(/\./g, '\\.')}`) }).waitFor();
    expect(await listed(admin, email)).toMatchObject({ orgRole: 'viewer', active: true });
    expect(await seriousViolations(admin)).toEqual([]);
    await h.screenshot(admin, 'people-added');

    const noor = await open();
    await signIn(noor, email, 'a-long-first-password');
    const me = (await (await noor.request.get('/api/v1/auth/me')).json()) as { email: string; orgRole: string };
    expect(me).toMatchObject({ email, orgRole: 'viewer' });
    await noor.context().close();
    await admin.context().close();
  }, 180_000);

  it('says beside the email field that someone already uses it, whatever its case', async () => {
    const admin = await peoplePage();
    const form = admin.getByRole('form', { name: 'Add a person' });
    await form.getByLabel('Name').fill('Second Partner');
    await form.getByLabel('Email').fill('Partner@Demo.Tandem');
    await form.getByLabel('First password').fill('a-long-first-password');
    await form.getByRole('button', { name: 'Add person' }).click();
    const email = form.getByLabel('Email');
    await form.getByText('Someone already uses partner@demo.tandem').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    expect(await admin.locator(`#${describedBy.split(' ').pop()}`).textContent()).toContain('Someone already uses partner@demo.tandem');
    await expect.poll(() => isFocused(email)).toBe(true);
    expect(await form.getByLabel('Name').inputValue(), 'what was typed stays').toBe('Second Partner');
    expect(await admin.getByRole('rowheader', { name: /Second Partner/ }).count()).toBe(0);
    await h.screenshot(admin, 'people-duplicate-email');
    await admin.context().close();
  }, 120_000);

  it('changes a role at once, but asks before taking admin rights away', async () => {
    const admin = await peoplePage();
    const email = `ravi.${stamp()}@example.test`;
    const made = await admin.request.post('/api/v1/users', { data: { email, name: 'Ravi Menon', orgRole: 'member', password: 'a-long-password' } });
    expect(made.status()).toBe(201);
    await admin.reload();
    await whenReady(admin, 'Add person');

    // member → leadership: done at once, said, focus back on the role
    const role = admin.getByLabel('Role of Ravi Menon');
    await role.selectOption({ label: 'Leadership (read only)' });
    await admin.getByRole('button', { name: 'Change role of Ravi Menon to Leadership (read only)' }).click();
    await admin.locator('.toasts').getByText('Ravi Menon is now Leadership (read only).').waitFor();
    await expect.poll(async () => (await listed(admin, email))?.orgRole).toBe('viewer');
    await expect.poll(() => isFocused(role)).toBe(true);

    // → admin, then back down: that asks first, and Cancel changes nothing
    await role.selectOption({ label: 'Admin' });
    await admin.getByRole('button', { name: 'Change role of Ravi Menon to Admin' }).click();
    await admin.locator('.toasts').getByText('Ravi Menon is now Admin.').waitFor();
    await expect.poll(async () => (await listed(admin, email))?.orgRole).toBe('admin');

    await role.selectOption({ label: 'Member' });
    const lower = admin.getByRole('button', { name: 'Change role of Ravi Menon to Member' });
    const dialog = admin.getByRole('dialog', { name: 'Make Ravi Menon Member?' });
    await lower.click();
    await dialog.getByText('Ravi Menon will no longer manage people or every program', { exact: false }).waitFor();
    await expect.poll(() => isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    expect(await seriousViolations(admin)).toEqual([]);
    await h.screenshot(admin, 'people-lower-admin');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await listed(admin, email))?.orgRole, 'cancelling keeps them an admin').toBe('admin');
    await expect.poll(() => isFocused(role)).toBe(true);
    expect(await role.inputValue()).toBe('admin');

    await role.selectOption({ label: 'Member' });
    await lower.click();
    await dialog.getByRole('button', { name: 'Remove admin rights' }).click();
    await admin.locator('.toasts').getByText('Ravi Menon is now Member.').waitFor();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect((await listed(admin, email))?.orgRole).toBe('member');
    await expect.poll(() => isFocused(role)).toBe(true);
    await admin.context().close();
  }, 180_000);

  it('finds people by name or email, with deactivated people apart and counted', async () => {
    const admin = await peoplePage();
    const tag = stamp();
    for (const [name, active] of [
      ['Quill Active', true],
      ['Quill Gone', false],
    ] as const) {
      const res = await admin.request.post('/api/v1/users', { data: { email: `quill.${name.split(' ')[1]!.toLowerCase()}.${tag}@example.test`, name, password: 'a-long-password' } });
      if (!active) await admin.request.patch(`/api/v1/users/${((await res.json()) as { id: string }).id}`, { data: { active: false } });
    }
    await admin.reload();
    await whenReady(admin, 'Add person');
    const total = ((await (await admin.request.get('/api/v1/users?includeInactive=true&limit=200')).json()) as { items: unknown[] }).items.length;

    const search = admin.getByLabel('Find people');
    await search.fill('QUILL');
    await admin.getByText(`2 of ${total} people match “QUILL”: 1 active, 1 deactivated.`).waitFor();
    const active = admin.getByRole('table', { name: 'Active people, by name' });
    const gone = admin.getByRole('table', { name: 'Deactivated people, by name' });
    expect(await active.getByRole('rowheader').allTextContents()).toEqual([expect.stringMatching(/^Quill Active/)]);
    expect(await gone.getByRole('rowheader').allTextContents()).toEqual([expect.stringMatching(/^Quill Gone/)]);
    await admin.getByRole('heading', { name: 'Active (1)' }).waitFor();
    await admin.getByRole('heading', { name: 'Deactivated (1)' }).waitFor();

    // by email, not only by name
    await search.fill(`gone.${tag}`);
    await admin.getByText(`1 of ${total} people matches “gone.${tag}”: 0 active, 1 deactivated.`).waitFor();
    expect(await active.getByRole('rowheader').count()).toBe(0);
    await search.fill('nobody-is-called-this');
    await admin.getByText(`No one of ${total} people matches “nobody-is-called-this”.`).waitFor();
    await search.fill('');
    await admin.getByText(`${total} people:`, { exact: false }).waitFor();
    await admin.context().close();
  }, 120_000);
});
