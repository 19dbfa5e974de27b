/**
 * The program workspace in a real browser against the real api (fresh PostgreSQL, demo data):
 * milestones by form and on the timeline (keyboard and pointer), status updates, what viewers
 * see, the status report and its public share link, and axe on every workspace page.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { resolve } from 'node:path';
import { desktopPage, PHONE_AND_DARK, RESULTS_DIR, seriousViolations, sidewaysOverflow, signIn, useHarness, whenReady } from './harness';

const h = useHarness();

const open = (options: BrowserContextOptions = {}): Promise<Page> => desktopPage(h, options);

/** yyyy-mm-dd, `days` from today (UTC) */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The app's date format: 12 Mar 2026 */
function shown(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

interface ApiMilestone {
  id: string;
  title: string;
  startDate: string | null;
  dueDate: string | null;
  workstream: string | null;
}

async function milestoneNamed(page: Page, key: string, title: string): Promise<ApiMilestone | undefined> {
  const res = await page.request.get(`/api/v1/programs/${key}/milestones?limit=200`);
  const body = (await res.json()) as { items: ApiMilestone[] };
  return body.items.find((m) => m.title === title);
}

const bar = (page: Page, title: string) => page.locator(`svg [data-milestone][aria-label^="${title}:"]`);

describe('program workspace (real browser, real api)', () => {
  const TITLE = 'E2E readiness review';
  const EDITED = 'E2E readiness review (edited)';
  const start = day(10);
  const due = day(20);

  it('lets the program manager create and edit a milestone by form and see it on the timeline', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await page.goto('/programs/QA/milestones');
    await whenReady(page, 'New milestone');
    await page.getByRole('button', { name: 'New milestone' }).click();
    // an empty title is refused beside the field, before anything is sent
    await page.getByRole('button', { name: 'Add milestone' }).click();
    await page.locator('.field-error').filter({ hasText: 'Title' }).waitFor();

    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel('Owner').selectOption({ label: 'Priya Manager' });
    await page.getByLabel('Start date').fill(start);
    await page.getByLabel('Due date').fill(due);
    await page.getByRole('button', { name: 'Add milestone' }).click();
    await page.getByRole('rowheader', { name: TITLE }).waitFor();

    await page.getByRole('button', { name: `Edit ${TITLE}` }).click();
    await page.getByLabel('Title').fill(EDITED);
    await page.getByLabel('Workstream').fill('Testing');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: EDITED }) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Testing');
    await h.screenshot(page, 'workspace-milestones-list');

    await page.getByRole('link', { name: 'Timeline' }).click();
    await bar(page, EDITED).waitFor();
    const label = await bar(page, EDITED).getAttribute('aria-label');
    expect(label).toContain(`${shown(start)} to ${shown(due)}`);
    expect(await bar(page, EDITED).getAttribute('role')).toBe('button');
    await h.screenshot(page, 'workspace-milestones-timeline');
    await page.context().close();
  }, 180_000);

  it('refuses a start date moved past the due date beside the field, with focus on it, and no vague form error', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await page.goto('/programs/QA/milestones');
    await whenReady(page, 'New milestone');
    await page.getByRole('button', { name: 'Edit Rollout retrospective' }).click();
    const form = page.locator('form.milestone-form');
    // only the start date changes, so the form sends it alone and the api finds the dates reversed
    await form.getByLabel('Start date').fill('2030-01-01');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.locator('.field-error').filter({ hasText: 'due date must not be before the start date' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('startDate');
    expect(await form.locator('.form-error').count()).toBe(0);
    expect(await form.textContent()).not.toContain('Invalid request');
    await page.context().close();
  }, 120_000);

  it('moves a bar with the keyboard and by dragging, and the saved dates survive a reload', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await page.goto('/programs/QA/milestones?view=timeline');
    await bar(page, EDITED).waitFor();

    // select the bar, two days later, one day longer, Enter saves
    await bar(page, EDITED).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await bar(page, EDITED).getAttribute('aria-label')).toContain('not saved');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: `Saved "${EDITED}"` }).waitFor();
    await expect.poll(async () => (await milestoneNamed(page, 'QA', EDITED))?.startDate, { timeout: 10_000 }).toBe(day(12));
    expect((await milestoneNamed(page, 'QA', EDITED))?.dueDate).toBe(day(23));
    // the move offers Undo
    await page.locator('.toasts').getByRole('button', { name: 'Undo' }).waitFor();

    await page.reload();
    await bar(page, EDITED).waitFor();
    expect(await bar(page, EDITED).getAttribute('aria-label')).toContain(`${shown(day(12))} to ${shown(day(23))}`);

    // drag the whole bar to the right with the pointer: it saves on drop
    const box = (await bar(page, EDITED).locator('rect.fill').boundingBox())!;
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 3 + 40, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width / 3 + 80, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.getByRole('status').filter({ hasText: `Saved "${EDITED}"` }).waitFor();
    await expect.poll(async () => (await milestoneNamed(page, 'QA', EDITED))?.startDate, { timeout: 10_000 }).not.toBe(day(12));
    const dragged = (await milestoneNamed(page, 'QA', EDITED))!;
    expect(dragged.startDate! > day(12)).toBe(true);
    await h.screenshot(page, 'workspace-timeline-after-move');
    await page.context().close();
  }, 180_000);

  it('deletes a milestone with Undo that brings it back whole: same id, its dependency and its RACI letter', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    const target = (await milestoneNamed(page, 'QA', EDITED))!;
    const other = `E2E after review ${Date.now()}`;
    const created = await page.request.post('/api/v1/programs/QA/milestones', { data: { title: other } });
    expect(created.status()).toBe(201);
    const otherId = ((await created.json()) as { id: string }).id;
    expect((await page.request.post('/api/v1/programs/QA/dependencies', { data: { predecessorId: target.id, successorId: otherId } })).status()).toBe(201);
    const me = ((await (await page.request.get('/api/v1/auth/me')).json()) as { id: string }).id;
    expect((await page.request.put('/api/v1/programs/QA/raci/cells', { data: { rowId: target.id, subject: { type: 'user', id: me }, letter: 'A' } })).status()).toBe(200);
    const raciOf = async () => {
      const rows = ((await (await page.request.get('/api/v1/programs/QA/raci')).json()) as { rows: { id: string; milestoneId: string | null; cells: unknown[] }[] }).rows;
      return rows.find((r) => r.milestoneId === target.id);
    };
    const raciBefore = await raciOf();
    expect(raciBefore?.cells).toHaveLength(1);

    await page.goto('/programs/QA/milestones');
    await whenReady(page, `Delete ${EDITED}`);
    await page.getByRole('button', { name: `Delete ${EDITED}` }).click();
    await page.getByRole('rowheader', { name: EDITED }).waitFor({ state: 'detached' });
    await page.locator('.toasts').getByRole('button', { name: 'Undo' }).click();
    await page.locator('.toasts').getByText(`Restored "${EDITED}"`, { exact: true }).waitFor();
    await page.getByRole('rowheader', { name: EDITED }).waitFor();
    expect((await milestoneNamed(page, 'QA', EDITED))?.id).toBe(target.id);
    const deps = (await (await page.request.get('/api/v1/programs/QA/dependencies')).json()) as { items: { predecessorId: string; successorId: string }[] };
    expect(deps.items).toContainEqual({ predecessorId: target.id, successorId: otherId });
    expect(await raciOf()).toEqual(raciBefore);
    expect((await page.request.delete(`/api/v1/milestones/${otherId}`)).status()).toBe(204);
    await page.context().close();
  }, 180_000);

  it('restores a deleted milestone from "Deleted milestones", with its owner who was deactivated since', async () => {
    const admin = await open();
    await signIn(admin, 'admin@demo.tandem');
    const leaverRes = await admin.request.post('/api/v1/users', { data: { email: `leaver.${Date.now()}@example.test`, name: 'Lee Leaver', password: 'a-long-enough-password', orgRole: 'member' } });
    expect(leaverRes.status()).toBe(201);
    const leaver = (await leaverRes.json()) as { id: string };
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    const title = `E2E handover ${Date.now()}`;
    const created = await page.request.post('/api/v1/programs/QA/milestones', { data: { title, ownerId: leaver.id } });
    expect(created.status()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    expect((await page.request.delete(`/api/v1/milestones/${id}`)).status()).toBe(204);
    expect((await admin.request.patch(`/api/v1/users/${leaver.id}`, { data: { active: false } })).status()).toBe(200);
    await page.goto('/programs/QA/milestones');
    await whenReady(page, 'New milestone');
    await page.getByText(/^Deleted milestones \(\d+\)$/).click();
    await page.getByRole('button', { name: `Restore "${title}"` }).click();
    await page.locator('.toasts').getByText(`Restored "${title}"`, { exact: true }).waitFor();
    await page.getByRole('rowheader', { name: title }).waitFor();
    await page.getByRole('button', { name: `Restore "${title}"` }).waitFor({ state: 'detached' });
    const back = (await (await page.request.get(`/api/v1/milestones/${id}`)).json()) as { owner: { id: string; name: string } | null };
    expect(back.owner).toEqual({ id: leaver.id, name: 'Lee Leaver' });
    await admin.context().close();
    await page.context().close();
  }, 180_000);

  it('links checklist items to a milestone, shows the open ones that keep it from being done, and lets the owner override with a reason', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    const waves = (await (await page.request.get('/api/v1/programs/QA/waves')).json()) as { items: { id: string; name: string }[] };
    const wave1 = waves.items.find((w) => w.name === 'Wave 1')!;
    const checklist = (await (await page.request.get(`/api/v1/waves/${wave1.id}/checklist?limit=200`)).json()) as {
      items: { id: string; title: string; state: string }[];
    };
    const open1 = checklist.items.find((i) => i.state === 'todo' || i.state === 'blocked')!;
    const name = 'Wave 1 go-live (Manila, Kraków)';
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });

    // link an open checklist item of "Wave 1" to the milestone, in its form
    await page.goto('/programs/QA/milestones');
    await whenReady(page, 'New milestone');
    await page.getByRole('button', { name: `Edit ${name}` }).click();
    const gates = page.getByRole('group', { name: 'Checklist items it waits for' });
    await gates.getByRole('group', { name: 'Wave 1' }).getByRole('checkbox', { name: open1.title }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await row.getByText('1 open checklist item').waitFor();
    const target = (await milestoneNamed(page, 'QA', name)) as ApiMilestone & { checklistItemIds: string[] };
    expect(target.checklistItemIds).toEqual([open1.id]);

    await page.getByRole('button', { name: `Edit ${name}` }).click();
    await expect.poll(() => gates.getByRole('group', { name: 'Wave 1' }).getByRole('checkbox', { name: open1.title }).isChecked()).toBe(true);
    await page.getByLabel('Status').selectOption({ label: 'Done' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').filter({ hasText: 'cannot be done' }).waitFor();
    await page.locator('.blockers').getByText(open1.title).waitFor();
    await h.screenshot(page, 'workspace-milestone-gated');

    // without a reason, the form says so beside the field instead of asking the api again
    await page.getByRole('button', { name: 'Mark done anyway' }).click();
    const reason = page.getByLabel('Reason for the override');
    await page.locator('.field-error').filter({ hasText: 'Reason for the override' }).waitFor();
    await expect.poll(() => reason.evaluate((el) => el === document.activeElement && el.getAttribute('aria-invalid') === 'true')).toBe(true);
    await reason.fill('Manila went live on paper sign-off; the item is a formality');
    await page.getByRole('button', { name: 'Mark done anyway' }).click();
    await row.getByText('Done', { exact: true }).waitFor();
    await page.context().close();
  }, 180_000);

  it('explains a dependency cycle with the milestones in it', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await page.goto('/programs/QA/milestones');
    await whenReady(page, 'Add dependency');
    // the demo plan has "Scorecard in the QA tool" waiting for "QA scorecard policy signed off"
    await page.getByLabel('Milestone', { exact: true }).selectOption({ label: 'QA scorecard policy signed off' });
    await page.getByLabel('waits for', { exact: true }).selectOption({ label: 'Scorecard in the QA tool' });
    await page.getByRole('button', { name: 'Add dependency' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'would create a cycle' });
    await alert.waitFor();
    expect(await alert.getByRole('listitem').count()).toBeGreaterThanOrEqual(2);
    await page.context().close();
  }, 180_000);

  it('refreshes the overview when an update is posted, here and live on a reader\'s screen', async () => {
    const reader = await open();
    await signIn(reader, 'leader@demo.tandem');
    await reader.goto('/programs/QA');
    await reader.getByRole('heading', { level: 2, name: 'Latest update' }).waitFor();

    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await page.goto('/programs/QA');
    await whenReady(page, 'Post update');
    await page.getByRole('radio', { name: 'Off track' }).check();
    await page.getByLabel('What changed').fill('Vendor **slipped** again.\n- legal review\n<img src=x onerror="window.__pwned=1">');
    await page.getByRole('button', { name: 'Post update' }).click();

    const latest = page.getByRole('region', { name: 'Latest update' });
    await latest.getByText('Vendor').waitFor();
    expect(await latest.locator('strong', { hasText: 'slipped' }).count()).toBe(1);
    // the HTML in the narrative is shown as text, never run
    expect(await latest.textContent()).toContain('<img src=x');
    expect(await latest.locator('img').count()).toBe(0);
    await page.getByRole('region', { name: 'Health' }).getByText('Off track').first().waitFor();

    // the reader's page refreshed by itself (live event → refetch), without a reload
    await reader.getByRole('region', { name: 'Latest update' }).getByText('Vendor').waitFor({ timeout: 10_000 });
    expect(await reader.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await h.screenshot(page, 'workspace-overview-after-update');
    await reader.context().close();
    await page.context().close();
  }, 180_000);

  it('lets the owner edit the program\'s details, archive it (read-only, off the list) and restore it', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    const key = `AR${Date.now() % 100_000}`;
    const created = await page.request.post('/api/v1/programs', { data: { key, name: 'Archive drill', status: 'active' } });
    expect(created.status()).toBe(201);

    await page.goto(`/programs/${key}`);
    await whenReady(page, 'Edit details');
    await page.getByRole('button', { name: 'Edit details' }).click();
    const name = page.getByLabel('Name');
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);
    // a target before the start is refused beside the field, before anything is sent
    await page.getByLabel('Start date').fill(day(30));
    await page.getByLabel('Target date').fill(day(10));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.field-error').filter({ hasText: 'Target date' }).waitFor();
    await page.getByLabel('Target date').fill(day(90));
    await name.fill('Archive drill, renamed');
    await page.getByLabel('Description').fill('Practising the end of a program.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Archive drill, renamed' }).waitFor();
    const about = page.getByRole('region', { name: 'About' });
    await about.getByText('Practising the end of a program.').waitFor();
    expect(await about.textContent()).toContain(shown(day(90)));
    // focus goes back to the button that opened the form
    await expect.poll(() => page.getByRole('button', { name: 'Edit details' }).evaluate((el) => el === document.activeElement)).toBe(true);
    const stored = (await (await page.request.get(`/api/v1/programs/${key}`)).json()) as { name: string; startDate: string; targetDate: string };
    expect(stored).toMatchObject({ name: 'Archive drill, renamed', startDate: day(30), targetDate: day(90) });
    // only the target changed, before the stored start: the api's refusal reads as a sentence, not field names
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.getByLabel('Target date').fill(day(10));
    await page.getByRole('button', { name: 'Save changes' }).click();
    const targetError = page.locator('.field-error').filter({ hasText: 'Target date' });
    await targetError.waitFor();
    expect((await targetError.textContent())?.trim()).toBe('Target date must not be before the start date');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Archive program…' }).click();
    const dialog = page.getByRole('dialog', { name: `Archive ${key}?` });
    await dialog.getByRole('button', { name: 'Archive' }).click();
    await page.getByRole('note').getByText(`${key} was archived`).waitFor();
    // the buttons that were used are gone: focus lands on what undoes it, not on the page
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Restore program');
    await page.getByText('Read only', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit details' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Post update' }).count()).toBe(0);
    await h.screenshot(page, 'workspace-archived-program');
    await page.getByRole('link', { name: 'Milestones', exact: true }).click();
    await page.getByRole('note').getByText(`${key} was archived`).waitFor();
    expect(await page.getByRole('button', { name: 'New milestone' }).count()).toBe(0);

    // off the program list, unless archived programs are asked for
    await page.goto('/');
    await whenReady(page, 'New program');
    expect(await page.getByRole('link', { name: 'Archive drill, renamed' }).count()).toBe(0);
    await page.getByLabel('Show archived programs').check();
    await page.getByRole('link', { name: 'Archive drill, renamed' }).click();

    await whenReady(page, 'Restore program');
    await page.getByRole('button', { name: 'Restore program' }).click();
    await whenReady(page, 'Edit details');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await page.getByRole('note').count()).toBe(0);
    expect(((await (await page.request.get(`/api/v1/programs/${key}`)).json()) as { status: string }).status).toBe('active');
    await page.context().close();
  }, 180_000);

  it('starts a program from a template: its milestones dated from the start, and its go-live checklist', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    interface Template {
      id: string;
      name: string;
      milestones: { title: string; startOffsetDays: number; durationDays: number }[];
      checklist: { title: string }[];
    }
    const templates = ((await (await page.request.get('/api/v1/templates')).json()) as { items: Template[] }).items;
    const template = templates.find((t) => t.name === 'Process rollout');
    if (!template) throw new Error(`the demo data has no "Process rollout" template: ${templates.map((t) => t.name).join(', ')}`);
    const span = Math.max(...template.milestones.map((m) => m.startOffsetDays + m.durationDays));

    await whenReady(page, 'New program');
    await page.getByRole('button', { name: 'New program' }).click();
    // the first choice is what to start from; blank unless another is chosen
    const blank = page.getByRole('radio', { name: 'Blank' });
    await expect.poll(() => blank.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await blank.isChecked()).toBe(true);
    const choice = page.getByRole('radio', { name: 'Process rollout' });
    const about = page.locator(`#${await choice.getAttribute('aria-describedby')}`);
    expect(await about.textContent()).toContain(
      `${template.milestones.length} milestones over ${Math.ceil(span / 7)} weeks · a go-live checklist of ${template.checklist.length} items`,
    );
    await choice.check();
    // a template's program starts in planning, and its target date follows from the milestones
    expect(await page.locator('#program-status').count()).toBe(0);
    expect(await page.locator('#program-target').count()).toBe(0);
    await page.getByText('What it brings').click();
    await page.getByRole('listitem').filter({ hasText: template.milestones[0]?.title ?? '?' }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // nothing filled in: refused beside the fields, the start date too
    await page.getByRole('button', { name: 'Create program' }).click();
    await page.locator('#program-startDate-error').getByText('Start date is required').waitFor();
    await page.locator('#program-name-error').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('program-key');

    // a key that is taken: the api's 409 beside the key
    const start = day(14);
    await page.getByLabel('Key').fill('QA');
    await page.getByLabel('Name').fill('Billing process rollout');
    await page.getByLabel('Start date').fill(start);
    await page.locator('#program-start-hint').getByText(`Target date: ${shown(day(14 + span))}`).waitFor();
    await h.screenshot(page, 'programs-new-from-template');
    await page.getByRole('button', { name: 'Create program' }).click();
    await page.locator('#program-key-error').getByText('QA is already used').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('program-key');

    const key = `TP${Date.now() % 100_000}`;
    await page.getByLabel('Key').fill(key);
    await page.getByRole('button', { name: 'Create program' }).click();
    await page.waitForURL(`**/programs/${key}`);
    await page.getByRole('heading', { level: 1, name: 'Billing process rollout' }).waitFor();

    // through the api: the caller owns it, with the template's milestones and checklist
    const program = (await (await page.request.get(`/api/v1/programs/${key}`)).json()) as Record<string, unknown>;
    expect(program).toMatchObject({ status: 'planning', startDate: start, targetDate: day(14 + span), myRole: 'owner' });
    const milestones = ((await (await page.request.get(`/api/v1/programs/${key}/milestones?limit=200`)).json()) as { items: ApiMilestone[] }).items;
    const dated = (list: { title: string; startDate: string | null; dueDate: string | null }[]) =>
      list.map((m) => `${m.title} ${m.startDate} → ${m.dueDate}`).sort();
    expect(dated(milestones)).toEqual(
      dated(template.milestones.map((m) => ({ title: m.title, startDate: day(14 + m.startOffsetDays), dueDate: day(14 + m.startOffsetDays + m.durationDays) }))),
    );
    const checklist = ((await (await page.request.get(`/api/v1/programs/${key}/checklist-template`)).json()) as { items: { title: string }[] }).items;
    expect(checklist.map((i) => i.title)).toEqual(template.checklist.map((i) => i.title));
    await page.context().close();

    // the choice, opened up, on a phone and in the dark
    for (const [look, options] of PHONE_AND_DARK) {
      const other = await open(options);
      await signIn(other, 'pm@demo.tandem');
      await whenReady(other, 'New program');
      await other.getByRole('button', { name: 'New program' }).click();
      await other.getByRole('radio', { name: 'Process rollout' }).check();
      await other.getByText('What it brings').click();
      const overflow = await sidewaysOverflow(other);
      expect(overflow.extra, `${look}: ${overflow.culprits.join(', ')}`).toBeLessThanOrEqual(0);
      expect(await seriousViolations(other), look).toEqual([]);
      await h.screenshot(other, `programs-new-from-template-${look}`);
      await other.context().close();
    }
  }, 180_000);

  it('shows viewers no edit controls (qa.lead on VOU, leadership on QA)', async () => {
    for (const [email, key] of [
      ['qa.lead@demo.tandem', 'VOU'],
      ['leader@demo.tandem', 'QA'],
    ] as const) {
      const page = await open();
      await signIn(page, email);
      await page.goto(`/programs/${key}`);
      await page.getByRole('heading', { level: 2, name: 'Health' }).waitFor();
      expect(await page.getByRole('heading', { name: 'Post an update' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Create share link' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Import milestones from CSV' }).count()).toBe(0);

      await page.goto(`/programs/${key}/milestones`);
      await page.getByRole('heading', { level: 2, name: 'Milestones' }).waitFor();
      for (const name of ['New milestone', 'Set baseline', 'Add dependency', /^Edit /, /^Delete /, /^Remove/]) {
        expect(await page.getByRole('button', { name }).count(), `${email}: ${String(name)}`).toBe(0);
      }
      await page.goto(`/programs/${key}/milestones?view=timeline`);
      await page.locator('svg [data-milestone]').first().waitFor();
      expect(await page.locator('svg [data-milestone][role="button"]').count()).toBe(0);
      // keys do nothing for a reader
      await page.locator('svg [data-milestone]').first().focus();
      await page.keyboard.press('ArrowRight');
      expect(await page.locator('svg [data-milestone]').first().getAttribute('aria-label')).not.toContain('not saved');

      await page.goto(`/programs/${key}/members`);
      await page.getByRole('heading', { level: 2, name: 'Members' }).waitFor();
      expect(await page.getByRole('button', { name: /^Remove/ }).count()).toBe(0);
      expect(await page.locator('main').getByRole('combobox').count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Add a person' }).count()).toBe(0);
      await h.screenshot(page, `workspace-viewer-members-${key}`);
      await page.context().close();
    }
  }, 180_000);

  it('asks for nothing leadership may not see: no request on the overview fails, and no share-link control', async () => {
    const page = await open();
    await signIn(page, 'leader@demo.tandem');
    const failed: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.request().method()} ${new URL(res.url()).pathname} → ${res.status()}`);
    });
    // a click from the list, so that the page's data is loaded by the browser, where it shows
    await page.getByRole('link', { name: 'QA program rollout' }).click();
    await page.waitForURL((url) => url.pathname === '/programs/QA');
    await page.getByRole('heading', { level: 2, name: 'Health' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Reports and links' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(failed).toEqual([]);
    expect(await page.getByRole('heading', { name: 'Share links' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create share link' }).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it('serves the status report on a public share link until it is revoked', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await page.goto('/programs/QA');
    await whenReady(page, 'Create share link');
    await page.getByRole('button', { name: 'Create share link' }).click();
    const url = await page.getByLabel('New share link').inputValue();
    expect(url).toMatch(/\/share\/[^/]+$/);

    // somebody without an account
    const outsider = await open();
    const res = await outsider.goto(url);
    expect(res?.status()).toBe(200);
    await outsider.getByRole('heading', { level: 1, name: 'Status report: QA program rollout' }).waitFor();
    expect(await outsider.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await h.screenshot(outsider, 'workspace-share');

    await page.getByRole('list', { name: 'Share links' }).getByRole('button', { name: /^Revoke/ }).first().click();
    await page.getByRole('dialog', { name: 'Revoke this share link?' }).getByRole('button', { name: 'Revoke link' }).click();
    await page.locator('.toasts').getByText('Share link revoked', { exact: false }).waitFor();
    const gone = await outsider.goto(url);
    expect(gone?.status()).toBe(404);
    await outsider.getByRole('heading', { level: 1, name: 'This link is no longer valid' }).waitFor();
    await h.screenshot(outsider, 'workspace-share-revoked');
    await outsider.context().close();
    await page.context().close();
  }, 180_000);

  it('prints the status report without the app around it', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await page.goto('/programs/QA/report');
    await page.getByRole('heading', { level: 2, name: 'Status report: QA program rollout' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.getByRole('navigation', { name: 'Program sections' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { name: 'Slipped milestones' }).isVisible()).toBe(true);
    await h.screenshot(page, 'workspace-report-print');
    // what "Save as PDF" gives, kept with the screenshots
    await page.pdf({ path: resolve(RESULTS_DIR, 'workspace-report.pdf'), format: 'A4' });
    await page.context().close();
  }, 180_000);

  it('previews CSV row errors before importing', async () => {
    const page = await open();
    await signIn(page, 'pm@demo.tandem');
    await page.goto('/programs/QA/import');
    await whenReady(page, 'Check (dry run)');
    await page.getByLabel('…or paste it here').fill(`title,due_date,status\nE2E imported one,${day(40)},not_started\n,not-a-date,nope\n`);
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const preview = page.getByRole('region', { name: 'Check result' });
    await preview.getByText('rows have errors').waitFor();
    expect(await preview.getByRole('row').count()).toBe(3);
    expect(await page.getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);
    await h.screenshot(page, 'workspace-import-errors');

    // rows naming existing milestones: one as stored, one renamed (the check writes nothing)
    const listed = await page.request.get('/api/v1/programs/QA/milestones?limit=2');
    const [kept, renamed] = ((await listed.json()) as { items: { id: string; title: string }[] }).items;
    const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;
    await page.getByLabel('…or paste it here').fill(`id,title\n${kept!.id},${quoted(kept!.title)}\n${renamed!.id},${quoted(`${renamed!.title} (renamed)`)}\n,E2E new one\n`);
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await preview.getByText('All 3 rows are fine: 1 to add, 1 to update, 1 unchanged.').waitFor();
    const actions = await preview.getByRole('row').evaluateAll((rows) => rows.slice(1).map((r) => r.querySelectorAll('td')[0]?.textContent));
    expect(actions).toEqual(['No change', 'Update', 'Add']);
    expect(await preview.getByText('not read').count()).toBe(0);
    // the button counts what will change, not the row that will not
    await page.getByRole('button', { name: 'Import 2 changed rows' }).waitFor();

    // a file that changes nothing, with columns Tandem does not read: both said, and no import offered
    await page.getByLabel('…or paste it here').fill(`id,Tittle,title,Notes\n${kept!.id},typo,${quoted(kept!.title)},call Sam\n`);
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await preview.getByText('The row is unchanged: the file matches what is stored, so there is nothing to import.').waitFor();
    const ignored = preview.getByText('These columns are not read: Tittle, Notes.');
    await ignored.waitFor();
    expect(await preview.getByText('Tandem reads: id, title, description, owner_email, start_date, due_date, status, workstream, position.').count()).toBe(1);
    const nothing = page.getByRole('button', { name: 'Nothing to import' });
    expect(await nothing.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /^Import/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'workspace-import-nothing');

    await page.getByLabel('…or paste it here').fill(`title,due_date,status\nE2E imported one,${day(40)},not_started\n`);
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await preview.getByText('The row is fine: 1 to add.').waitFor();
    await page.getByRole('button', { name: 'Import 1 row' }).click();
    await Promise.race([
      page.waitForURL(/\/milestones$/, { waitUntil: 'commit' }),
      page.locator('.form-error').waitFor().then(async () => {
        throw new Error(`import refused: ${await page.locator('.form-error').textContent()}`);
      }),
    ]).catch(async (e: unknown) => {
      await h.screenshot(page, 'workspace-import-failed');
      throw e;
    });
    await page.getByRole('rowheader', { name: 'E2E imported one' }).waitFor();
    await page.context().close();
  }, 180_000);

  const variants = [
    { name: 'desktop', suffix: '', viewport: { width: 1280, height: 900 }, colorScheme: 'light' as const },
    { name: '375 px wide', suffix: '-375', viewport: { width: 375, height: 812 }, colorScheme: 'light' as const },
    { name: 'dark', suffix: '-dark', viewport: { width: 1280, height: 900 }, colorScheme: 'dark' as const },
  ];
  const pages: [string, string, string][] = [
    ['overview', '/programs/QA', 'Health'],
    ['milestones', '/programs/QA/milestones', 'Milestones'],
    ['timeline', '/programs/QA/milestones?view=timeline', 'Milestones'],
    ['activity', '/programs/QA/activity', 'Activity'],
    ['members', '/programs/QA/members', 'Members'],
    ['import', '/programs/QA/import', 'Import milestones from CSV'],
    ['report', '/programs/QA/report', 'Status report: QA program rollout'],
  ];

  for (const v of variants) {
    it(`has no serious or critical axe violations and no sideways scrolling on any workspace page (${v.name})`, async () => {
      const found: Record<string, unknown[]> = {};
      const overflow: Record<string, string> = {};
      /** '' when the page fits its width; otherwise by how much, and the element that sticks out furthest */
      const widthOverflow = (page: Page) =>
        page.evaluate(() => {
          const { scrollWidth, clientWidth } = document.documentElement;
          if (scrollWidth <= clientWidth) return '';
          let widest: Element | null = null;
          for (const el of Array.from(document.body.querySelectorAll('*'))) {
            if (!widest || el.getBoundingClientRect().right > widest.getBoundingClientRect().right) widest = el;
          }
          return `${scrollWidth - clientWidth}px: ${widest?.tagName.toLowerCase()}.${String(widest?.getAttribute('class') ?? '')}`;
        });

      const page = await open({ viewport: v.viewport, colorScheme: v.colorScheme });
      await signIn(page, 'pm@demo.tandem');
      for (const [name, path, heading] of pages) {
        await page.goto(path);
        await page.getByRole('heading', { name: heading }).first().waitFor();
        if (name === 'timeline') await page.locator('svg [data-milestone]').first().waitFor();
        // with a search typed, so the list of matching people is checked too
        if (name === 'members') {
          await whenReady(page, 'Add member');
          await page.getByLabel('Find a person').fill('a');
          await page.getByRole('group', { name: 'Matching people' }).waitFor();
        }
        found[name] = await seriousViolations(page);
        overflow[name] = await widthOverflow(page);
        await h.screenshot(page, `workspace-${name}${v.suffix}`);
      }

      // the public share page, signed out
      const created = await page.request.post('/api/v1/programs/QA/share-links', { data: { expiresInDays: 7 } });
      const shareUrl = ((await created.json()) as { url: string }).url;
      const outsider = await open({ viewport: v.viewport, colorScheme: v.colorScheme });
      await outsider.goto(shareUrl);
      await outsider.getByRole('heading', { level: 1 }).waitFor();
      found.share = await seriousViolations(outsider);
      overflow.share = await widthOverflow(outsider);
      await h.screenshot(outsider, `workspace-share${v.suffix}`);
      await outsider.context().close();
      await page.context().close();

      expect(Object.entries(found).filter(([, list]) => list.length > 0)).toEqual([]);
      expect(Object.entries(overflow).filter(([, why]) => why !== '')).toEqual([]);
    }, 300_000);
  }
});
