/**
 * The RACI matrix editor and the per-person view, in real Chromium against the real api (fresh
 * PostgreSQL database with the demo organisation). Nothing is mocked: every 409 comes from the api.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { PHONE_AND_DARK, openAs, seriousViolations, sidewaysOverflow, useHarness } from './harness';

const h = useHarness();


const grid = (page: Page) => page.getByRole('grid', { name: 'RACI matrix' });

/** The cell of `rowTitle` × `column` (a person's or a team's name). */
async function cell(page: Page, rowTitle: string, column: string): Promise<Locator> {
  const headers = await grid(page).getByRole('columnheader').allTextContents();
  const at = headers.findIndex((t) => t.includes(column));
  expect(at, `column ${column} in ${headers.join(' | ')}`).toBeGreaterThan(0);
  return grid(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name: rowTitle }) }).getByRole('gridcell').nth(at - 1);
}

const letterIn = async (c: Locator) => ((await c.textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** What the api has stored can take a while to catch up on a loaded machine; a lost write still fails. */
const STORED = { timeout: 10_000 };

async function matrixRow(page: Page, title: string) {
  const res = await page.request.get('/api/v1/programs/QA/raci');
  const body = (await res.json()) as { rows: { title: string; cells: { subject: { name: string }; letter: string }[] }[] };
  const row = body.rows.find((r) => r.title === title)!;
  return Object.fromEntries(row.cells.map((c) => [c.subject.name, c.letter]));
}

describe('RACI matrix (real browser, real api)', { timeout: 120_000 }, () => {
  it('explains the 409 for a second Accountable, reverts the cell, and lets the PM fix the row by keyboard', async () => {
    const page = await openAs(h, 'pm@demo.tandem', '/programs/QA/raci');
    await grid(page).waitFor();
    await h.screenshot(page, 'raci-pm');

    const row = 'Rollout retrospective';
    const quinn = await cell(page, row, 'Quinn QA-Lead');
    const priya = await cell(page, row, 'Priya Manager');
    expect(await letterIn(quinn)).toContain('Responsible');
    expect(await letterIn(priya)).toContain('Accountable');

    // a click cycles R → A: a second A in the row; the api answers 409 and names the holder
    const conflict = page.waitForResponse((r) => r.url().endsWith('/raci/cells') && r.request().method() === 'PUT');
    await quinn.click();
    expect((await conflict).status()).toBe(409);
    const note = grid(page).getByText('Priya Manager already is Accountable for "Rollout retrospective"; a row has exactly one A');
    await note.waitFor();
    await expect.poll(() => letterIn(quinn)).toContain('Responsible');
    // the note is tied to the cell for screen readers
    const describedBy = await quinn.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    expect(await page.locator(`#${describedBy}`).textContent()).toContain('already is Accountable');
    await h.screenshot(page, 'raci-409-explained');

    // fix it with the keyboard: Priya is the column to the left; R on her, then A on Quinn
    await expect.poll(() => quinn.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => priya.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('r');
    await expect.poll(() => letterIn(priya)).toContain('Responsible');
    // the domain rule flags the row at once: no A any more
    const rules = grid(page).getByRole('row').filter({ hasText: row }).getByText('needs exactly one Accountable (A); it has none');
    await rules.waitFor();
    await h.screenshot(page, 'raci-row-violation');
    await expect.poll(() => matrixRow(page, row), STORED).toEqual({ 'Priya Manager': 'R', 'Quinn QA-Lead': 'R' });

    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('a');
    await expect.poll(() => letterIn(quinn)).toContain('Accountable');
    await expect.poll(() => rules.count()).toBe(0);
    await expect.poll(() => matrixRow(page, row), STORED).toEqual({ 'Priya Manager': 'R', 'Quinn QA-Lead': 'A' });
    await expect.poll(() => note.count()).toBe(0);

    // Enter cycles (R → A is refused again: Quinn holds A now), Delete clears
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Delete');
    await expect.poll(() => matrixRow(page, row), STORED).toEqual({ 'Quinn QA-Lead': 'A' });
    await page.keyboard.press('Enter');
    await expect.poll(() => matrixRow(page, row), STORED).toEqual({ 'Priya Manager': 'R', 'Quinn QA-Lead': 'A' });
    await page.context().close();
  });

  it('moves focus with arrow keys, Home and End (one tab stop for the grid)', async () => {
    const page = await openAs(h, 'pm@demo.tandem', '/programs/QA/raci');
    await grid(page).waitFor();
    const tabStops = await grid(page).locator('[tabindex="0"]').count();
    expect(tabStops).toBe(1);
    await grid(page).locator('[tabindex="0"]').focus();
    const pos = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('[data-pos]')?.dataset.pos);
    expect(await pos()).toBe('1:1');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(await pos()).toBe('2:2');
    await page.keyboard.press('Home');
    expect(await pos()).toBe('2:0');
    await page.keyboard.press('End');
    const cols = await grid(page).getByRole('columnheader').count();
    expect(await pos()).toBe(`2:${cols - 1}`);
    await page.keyboard.press('Control+Home');
    expect(await pos()).toBe('0:0');
    expect(await grid(page).locator('[tabindex="0"]').count()).toBe(1);
    await page.context().close();
  });

  it('adds a person as a column and an activity row, sets a letter, deletes the row and undoes it', async () => {
    const page = await openAs(h, 'pm@demo.tandem', '/programs/QA/raci');
    await grid(page).waitFor();

    await page.getByRole('button', { name: 'Add person or team' }).click();
    await page.getByLabel('Search people and teams').fill('Wei');
    await page.getByRole('button', { name: /Wei Forecaster/ }).click();
    await grid(page).getByRole('columnheader', { name: /Wei Forecaster/ }).waitFor();

    // nothing typed: the field says so and has the focus
    await page.getByRole('button', { name: 'Add activity' }).click();
    await page.getByText('Give the activity a name').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('raci-new-activity');
    await page.getByLabel('New activity').fill('Vendor contract renewal');
    await page.getByRole('button', { name: 'Add activity' }).click();
    await grid(page).getByRole('rowheader', { name: /Vendor contract renewal/ }).waitFor();
    // a new row breaks the rule until it has an A and an R
    await grid(page).getByRole('row').filter({ hasText: 'Vendor contract renewal' }).getByText('needs at least one Responsible (R)').waitFor();

    const wei = await cell(page, 'Vendor contract renewal', 'Wei Forecaster');
    await wei.click();
    await expect.poll(() => letterIn(wei)).toContain('Responsible');
    await expect.poll(() => matrixRow(page, 'Vendor contract renewal'), STORED).toEqual({ 'Wei Forecaster': 'R' });
    await h.screenshot(page, 'raci-new-activity');

    await page.getByRole('button', { name: 'Delete activity Vendor contract renewal' }).click();
    await expect.poll(() => grid(page).getByRole('rowheader', { name: /Vendor contract renewal/ }).count()).toBe(0);
    // the focused Delete button went with the row: focus stays in the grid, on the row now in its place
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[role="grid"]') !== null && document.activeElement?.closest('th[role="rowheader"]') !== null)).toBe(true);
    await page.getByRole('button', { name: 'Undo' }).click();
    await grid(page).getByRole('rowheader', { name: /Vendor contract renewal/ }).waitFor();
    await expect.poll(() => matrixRow(page, 'Vendor contract renewal'), STORED).toEqual({ 'Wei Forecaster': 'R' });
    await page.context().close();
  });

  it("undoes deleting an activity in its place, with every letter: a deactivated person's too", async () => {
    // set up through the api: Dana is Accountable for the first of two activities, then leaves
    const admin = await openAs(h, 'admin@demo.tandem', '/');
    const dana = await admin.request.post('/api/v1/users', { data: { email: `dana.${Date.now()}@demo.tandem`, name: 'Dana Departed', password: 'demo-password-1' } });
    expect(dana.status()).toBe(201);
    const danaId = ((await dana.json()) as { id: string }).id;
    const page = await openAs(h, 'pm@demo.tandem', '/programs/QA/raci');
    const add = async (activity: string) => ((await (await page.request.post('/api/v1/programs/QA/raci/activities', { data: { activity } })).json()) as { id: string }).id;
    const security = await add('Site security review');
    await add('Floor plan sign-off');
    const teams = ((await (await page.request.get('/api/v1/teams')).json()) as { items: { id: string; name: string }[] }).items;
    const support = teams.find((t) => t.name === 'Support Operations')!;
    for (const [subject, letter] of [[{ type: 'user', id: danaId }, 'A'], [{ type: 'team', id: support.id }, 'R']] as const) {
      expect((await page.request.put('/api/v1/programs/QA/raci/cells', { data: { rowId: security, subject, letter } })).status()).toBe(200);
    }
    expect((await admin.request.patch(`/api/v1/users/${danaId}`, { data: { active: false } })).status()).toBe(200);
    await admin.context().close();

    await page.reload();
    await grid(page).getByRole('rowheader', { name: /Floor plan sign-off/ }).waitFor();
    const titles = ['Site security review', 'Floor plan sign-off'];
    /** the two activities in the order the grid shows them */
    const activityOrder = async () => {
      const heads = await grid(page).getByRole('rowheader').allTextContents();
      return titles.map((title) => ({ title, at: heads.findIndex((h) => h.includes(title)) })).filter((r) => r.at >= 0).sort((a, b) => a.at - b.at).map((r) => r.title);
    };
    expect(await activityOrder()).toEqual(titles);
    const before = await matrixRow(page, 'Site security review');
    expect(before).toEqual({ 'Dana Departed': 'A', 'Support Operations': 'R' });

    await page.getByRole('button', { name: 'Delete activity Site security review' }).click();
    await expect.poll(() => grid(page).getByRole('rowheader', { name: /Site security review/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await grid(page).getByRole('rowheader', { name: /Site security review/ }).waitFor();
    // back above the activity that came after it, with both letters, and no error
    await expect.poll(activityOrder).toEqual(titles);
    await page.reload();
    await grid(page).getByRole('rowheader', { name: /Site security review/ }).waitFor();
    expect(await activityOrder()).toEqual(titles);
    await expect.poll(() => matrixRow(page, 'Site security review'), STORED).toEqual(before);
    await expect.poll(async () => letterIn(await cell(page, 'Site security review', 'Dana Departed'))).toContain('Accountable');
    expect(await page.getByText(/Could not restore/).count()).toBe(0);
    await page.context().close();
  });

  it('says what a matrix with rows but nobody in it needs, instead of counting every row as broken', async () => {
    const key = `RN${Date.now() % 100_000}`;
    const page = await openAs(h, 'pm@demo.tandem', '/');
    expect((await page.request.post('/api/v1/programs', { data: { key, name: 'Nobody yet' } })).status()).toBe(201);
    expect((await page.request.post(`/api/v1/programs/${key}/raci/activities`, { data: { activity: 'Comms plan' } })).status()).toBe(201);
    await page.goto(`/programs/${key}/raci`);
    await page.getByRole('heading', { level: 3, name: 'Nobody is in the matrix yet' }).waitFor();
    const summary = page.getByRole('status').filter({ hasText: 'Nobody has a letter yet' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Nobody has a letter yet: the row needs exactly one A and at least one R.');
    await page.context().close();
  });

  it('gives leadership a read-only matrix: no edit controls, clicks change nothing', async () => {
    const page = await openAs(h, 'leader@demo.tandem', '/programs/QA/raci');
    await grid(page).waitFor();
    expect(await grid(page).getAttribute('aria-readonly')).toBe('true');
    expect(await page.getByRole('button', { name: 'Add person or team' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add activity' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Delete activity/ }).count()).toBe(0);
    let writes = 0;
    page.on('request', (r) => {
      if (r.method() !== 'GET' && r.url().includes('/raci')) writes++;
    });
    const c = await cell(page, 'Rollout retrospective', 'Quinn QA-Lead');
    const before = await letterIn(c);
    await c.click();
    await c.press('a');
    expect(await letterIn(c)).toBe(before);
    expect(writes).toBe(0);
    await page.getByText('Read only: you can see this matrix but not change it.').waitFor();
    await h.screenshot(page, 'raci-leader');
    await page.context().close();
  });

  it('shows what a person is accountable for, grouped by program, linked to each matrix', async () => {
    const page = await openAs(h, 'pm@demo.tandem', '/programs/QA/raci');
    await page.getByRole('link', { name: 'What am I accountable for?' }).click();
    await page.waitForURL((u) => u.pathname === '/me/raci');
    await page.getByRole('heading', { level: 1, name: 'What I am accountable for' }).waitFor();
    const qa = page.getByRole('region', { name: /QA program rollout/ });
    await qa.getByText('Lisbon pilot go-live').waitFor();
    expect(await page.getByRole('region', { name: /Voice of the user program/ }).count()).toBe(1);
    await h.screenshot(page, 'me-raci-pm');
    await qa.getByRole('link', { name: 'Open the QA RACI matrix' }).click();
    await page.waitForURL((u) => u.pathname === '/programs/QA/raci');

    // anyone's view, from their column header
    await grid(page).getByRole('link', { name: 'Quinn QA-Lead' }).click();
    await page.getByRole('heading', { level: 1, name: 'What Quinn QA-Lead is accountable for' }).waitFor();
    await page.getByRole('region', { name: /QA program rollout/ }).getByText('Calibration sessions for team leads').waitFor();
    await page.context().close();
  });

  it('has no serious or critical axe violations on /raci and /me/raci, and fits 375px and dark mode', async () => {
    const page = await openAs(h, 'pm@demo.tandem', '/programs/QA/raci');
    await grid(page).waitFor();
    // with a 409 note on screen, so it is checked too
    await (await cell(page, 'Lisbon pilot go-live', 'Support Operations')).click();
    const raci = await seriousViolations(page);
    await page.goto('/me/raci');
    await page.getByRole('heading', { level: 1 }).waitFor();
    const me = await seriousViolations(page);
    expect({ raci, me }).toEqual({ raci: [], me: [] });
    await page.context().close();

    for (const [name, options] of PHONE_AND_DARK) {
      const p = await openAs(h, 'pm@demo.tandem', '/programs/QA/raci', options);
      await grid(p).waitFor();
      const overflow = await sidewaysOverflow(p);
      expect(overflow.extra, `page wider than the screen (${name}): ${overflow.culprits.join(', ')}`).toBeLessThanOrEqual(0);
      if (name.includes('dark')) expect(await seriousViolations(p)).toEqual([]);
      await h.screenshot(p, `raci-${name}`);
      await p.goto('/me/raci');
      await p.getByRole('heading', { level: 1 }).waitFor();
      await h.screenshot(p, `me-raci-${name}`);
      await p.context().close();
    }
  }, 300_000);
});
