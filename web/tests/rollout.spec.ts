/**
 * The rollout grid, in real Chromium against the real api (fresh PostgreSQL database with the demo
 * organisation): ticking and annotating checklist items until a wave may go live, the owner's
 * override, the api's 409, and what editors and leadership may do. Nothing is mocked.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { PHONE_AND_DARK, hydrated, openAs, seriousViolations, sidewaysOverflow, signInByApi, useHarness, whenReady } from './harness';

const h = useHarness();

/** QA's rollout grid, hydrated, for `email` (signed in through the api). */
async function openRollout(email: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await openAs(h, email, '/programs/QA/rollout', options);
  await page.getByRole('heading', { level: 2, name: 'Waves' }).waitFor();
  return page;
}

const waveCard = (page: Page, name: string) => page.getByRole('article', { name, exact: true });
const goLive = (page: Page, wave: string) => waveCard(page, wave).getByRole('button', { name: `Go live with ${wave}`, exact: true });
const tick = (page: Page, item: string, wave: string) => page.getByRole('button', { name: `${item}, ${wave}:` });

interface WaveView {
  id: string;
  name: string;
  status: string;
}

async function waves(page: Page): Promise<WaveView[]> {
  const res = await page.request.get('/api/v1/programs/QA/waves');
  return ((await res.json()) as { items: WaveView[] }).items;
}

describe('rollout grid (real browser, real api)', { timeout: 120_000 }, () => {
  it('lets an editor tick items but not override the gate', async () => {
    const page = await openRollout('partner@demo.tandem');
    const ga = waveCard(page, 'GA');
    await ga.getByText('6 blockers').waitFor();
    expect(await goLive(page, 'GA').getAttribute('aria-disabled')).toBe('true');
    expect(await ga.getByRole('button', { name: /Override and go live/ }).count()).toBe(0);
    await ga.getByText('Only the program owner can override.').waitFor();
    expect(await tick(page, 'Training done', 'GA').count()).toBe(1);
    await h.screenshot(page, 'rollout-partner');
    await page.context().close();
  });

  it("shows the demo's live Pilot with its checklist closed: Add item disabled, saying why, ticking still possible", async () => {
    const page = await openRollout('pm@demo.tandem');
    const pilot = waveCard(page, 'Pilot');
    await pilot.getByText('6 of 6 closed · 100%').waitFor();
    const reason = 'Pilot is live: its go-live checklist is closed. Add the item to a wave that is not live, or roll Pilot back first.';
    await pilot.getByText(reason).waitFor();
    const add = pilot.getByRole('button', { name: 'Add item to Pilot' });
    expect(await add.getAttribute('aria-disabled')).toBe('true');
    expect(await page.locator(`#${await add.getAttribute('aria-describedby')}`).textContent()).toBe(reason);
    // aria-disabled keeps it focusable: a click opens nothing
    await add.click({ force: true });
    expect(await page.getByRole('dialog').count()).toBe(0);
    // its items can still be ticked
    expect(await tick(page, 'Training done', 'Pilot').getAttribute('aria-disabled')).toBeNull();
    await h.screenshot(page, 'rollout-pilot-closed');
    await page.context().close();
  });

  it('lands a link to one checklist item on its cell: scrolled to, focused and marked', async () => {
    const page = await openRollout('partner@demo.tandem');
    const ga = (await waves(page)).find((w) => w.name === 'GA')!;
    const items = ((await (await page.request.get(`/api/v1/waves/${ga.id}/checklist`)).json()) as { items: { id: string; title: string }[] }).items;
    const item = items.at(-1)!;
    // a fresh load of the link, as from a retro card opened in a new tab
    await page.goto(`/programs/QA/rollout#item-${item.id}`);
    await hydrated(page);
    const cell = page.locator(`td#item-${item.id}`);
    await expect.poll(() => cell.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await cell.getAttribute('class')).toContain('landed');
    expect(await cell.getByRole('button', { name: `${item.title}, GA:` }).count()).toBe(1);
    expect(await cell.isVisible()).toBe(true);
    await page.context().close();
  });

  it('gives leadership no edit controls', async () => {
    const page = await openRollout('leader@demo.tandem');
    await page.getByRole('table').waitFor();
    for (const name of [/Mark (done|to do)/, /^Go live/, /Override/, /^Annotate/, /^Add (wave|item)/, /^Add to template/, /^Edit wave/]) {
      expect(await page.getByRole('button', { name }).count(), String(name)).toBe(0);
    }
    await page.getByText('Read only: you can see the checklist but not change it.').waitFor();
    // the state is still shown as icon + word
    await page.getByRole('table').getByText('Blocked').first().waitFor();
    await h.screenshot(page, 'rollout-leader');
    await page.context().close();
  });

  it('ticks and annotates Wave 1 items through the grid until it can go live, then goes live', async () => {
    const page = await openRollout('pm@demo.tandem');
    const card = waveCard(page, 'Wave 1');
    await card.getByText('3 blockers').waitFor();
    const button = goLive(page, 'Wave 1');
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    // the blockers are listed and tied to the disabled button
    const describedBy = await button.getAttribute('aria-describedby');
    const list = (await page.locator(`#${describedBy}`).textContent()) ?? '';
    for (const title of ['Macros updated', 'Comms sent', 'Go/no-go sign-off']) expect(list).toContain(title);
    await h.screenshot(page, 'rollout-pm-gated');

    // a click ticks To do → Done, and Blocked → Done
    await tick(page, 'Macros updated', 'Wave 1').click();
    await expect.poll(() => tick(page, 'Macros updated', 'Wave 1').getAttribute('aria-label')).toContain(': Done.');
    await card.getByText('2 blockers').waitFor();
    // ...and from the keyboard
    await tick(page, 'Comms sent', 'Wave 1').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => tick(page, 'Comms sent', 'Wave 1').getAttribute('aria-label')).toContain(': Done.');
    await card.getByText('1 blocker', { exact: true }).waitFor();

    // not applicable needs a reason: the popover says so before the api is asked
    await page.getByRole('button', { name: 'Annotate Go/no-go sign-off in Wave 1' }).click();
    const popover = page.getByRole('dialog', { name: 'Go/no-go sign-off in Wave 1' });
    await popover.getByLabel('Not applicable').check();
    await popover.getByRole('button', { name: 'Save' }).click();
    await popover.getByText('Say why it is not applicable').waitFor();
    await h.screenshot(page, 'rollout-annotate');
    await popover.getByLabel(/Reason/).fill('Wave 1 sites signed off with the pilot');
    await popover.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => popover.count()).toBe(0);
    await expect.poll(() => tick(page, 'Go/no-go sign-off', 'Wave 1').getAttribute('aria-label')).toContain(': Not applicable.');
    await page.getByText('Wave 1 sites signed off with the pilot').waitFor();

    // gating shown before trying: ready, and the button is enabled
    await card.getByText('Ready to go live').waitFor();
    expect(await button.getAttribute('aria-disabled')).toBeNull();
    await h.screenshot(page, 'rollout-pm-ready');
    await button.click();
    await card.getByText('Live', { exact: true }).first().waitFor();
    await expect.poll(async () => (await waves(page)).find((w) => w.name === 'Wave 1')?.status).toBe('live');
    expect(await goLive(page, 'Wave 1').count()).toBe(0);
    await h.screenshot(page, 'rollout-wave1-live');
    await page.context().close();
  });

  it('lets the owner override the gate with a required reason', async () => {
    const page = await openRollout('pm@demo.tandem');
    const card = waveCard(page, 'GA');
    await card.getByText('6 blockers').waitFor();
    const reason = card.getByLabel(/Why go live with 6 open items/);
    const focused = (l: ReturnType<Page['locator']>) => l.evaluate((el) => el === document.activeElement);
    // the form takes the button's place: focus goes to the reason, and back to the button on Cancel
    await card.getByRole('button', { name: 'Override and go live with GA' }).click();
    await expect.poll(() => focused(reason)).toBe(true);
    await card.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => focused(card.getByRole('button', { name: 'Override and go live with GA' }))).toBe(true);
    await card.getByRole('button', { name: 'Override and go live with GA' }).click();
    await card.getByRole('button', { name: 'Go live anyway' }).click();
    await card.getByText('Say why the wave goes live with open items').waitFor();
    await expect.poll(() => focused(reason)).toBe(true);
    await reason.fill('Leadership accepted the risk; training runs in week one');
    await h.screenshot(page, 'rollout-override-form');
    await card.getByRole('button', { name: 'Go live anyway' }).click();
    await card.getByText('Live', { exact: true }).first().waitFor();
    await expect.poll(async () => (await waves(page)).find((w) => w.name === 'GA')?.status).toBe('live');
    // the form and its buttons are gone: focus is on the wave's name, not the page
    await expect.poll(() => focused(card.getByRole('heading', { name: 'GA', exact: true }))).toBe(true);

    // the activity feed names the open items it went live over, not their JSON
    await page.goto('/programs/QA/activity');
    const entry = page.getByRole('listitem').filter({ hasText: 'took "GA" live over 6 open required items' });
    const blockers = entry.getByRole('row', { name: /^Blockers/ });
    await blockers.getByText(/Training done \(To do\)/).waitFor();
    expect(await blockers.textContent()).not.toContain('{');
    await page.context().close();
  });

  it('edits the template, adds a wave and an item, and still explains a 409 from the api', async () => {
    const page = await openRollout('pm@demo.tandem');

    // the template (owner only): an optional item
    await page.getByText('Show and edit the template').click();
    await page.getByLabel('New template item').fill('Legal sign-off');
    await page.getByLabel('Required to go live').uncheck();
    await page.getByRole('button', { name: 'Add to template' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Legal sign-off' }).getByText('Optional').waitFor();

    // a new wave gets the template's items
    // the form takes the button's place: focus goes to its first field, and back to the button after
    const isFocused = (l: ReturnType<Page['locator']>) => l.evaluate((el) => el === document.activeElement);
    await page.getByRole('button', { name: 'Add wave' }).click();
    await expect.poll(() => isFocused(page.getByLabel('Name'))).toBe(true);
    await page.getByRole('form', { name: 'New wave' }).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => isFocused(page.getByRole('button', { name: 'Add wave' }))).toBe(true);
    await page.getByRole('button', { name: 'Add wave' }).click();
    await page.getByLabel('Name').fill('Wave 2');
    await page.getByLabel('Planned go-live (optional)').fill('2027-03-01');
    await page.getByLabel('Sites or teams (optional)').fill('Manila, Kraków');
    await page.getByRole('button', { name: 'Add wave' }).click();
    const card = waveCard(page, 'Wave 2');
    await card.getByText('6 blockers').waitFor();
    await expect.poll(() => isFocused(page.getByRole('button', { name: 'Add wave' }))).toBe(true);
    // the sites and teams the wave rolls out to are shown with it, not only stored
    await card.getByText('Manila, Kraków', { exact: true }).waitFor();
    await tick(page, 'Legal sign-off', 'Wave 2').waitFor();

    // an item for this wave only
    await card.getByRole('button', { name: 'Add item to Wave 2' }).click();
    const form = page.getByRole('dialog', { name: 'Add a checklist item to Wave 2' });
    await form.getByLabel('Title').fill('Kraków floor walkers booked');
    await form.getByRole('button', { name: 'Add item' }).click();
    await tick(page, 'Kraków floor walkers booked', 'Wave 2').waitFor();
    await card.getByText('7 blockers').waitFor();

    // An item required on this wave only: the template says optional, the wave's item says required.
    // The grid's cell carries the item's own flag, so the wave names it as its blocker.
    const wave2 = (await waves(page)).find((w) => w.name === 'Wave 2')!;
    const items = ((await (await page.request.get(`/api/v1/waves/${wave2.id}/checklist`)).json()) as { items: { id: string; title: string }[] }).items;
    const legal = items.find((i) => i.title === 'Legal sign-off')!;
    for (const item of items) {
      const body = item.id === legal.id ? { required: true } : { state: 'done' };
      expect((await page.request.patch(`/api/v1/checklist-items/${item.id}`, { data: body })).status()).toBe(200);
    }
    await card.getByText('1 blocker', { exact: true }).waitFor();
    await card.locator('.blockers li', { hasText: 'Legal sign-off' }).waitFor();
    expect(await goLive(page, 'Wave 2').getAttribute('aria-disabled')).toBe('true');
    // the grid's cell says what differs from its row
    await page.getByRole('button', { name: 'Legal sign-off, Wave 2: To do, required on this wave.' }).waitFor();

    // A page that misses live updates (its socket is cut) shows the wave ready after the item is
    // closed, then someone reopens it: the api's 409 is shown with what blocks.
    expect((await page.request.patch(`/api/v1/checklist-items/${legal.id}`, { data: { state: 'done' } })).status()).toBe(200);
    const stale = await h.newPage();
    await stale.routeWebSocket(/socket\.io/, (ws) => ws.close());
    await signInByApi(stale, 'pm@demo.tandem');
    await stale.goto('/programs/QA/rollout');
    await hydrated(stale);
    const staleCard = waveCard(stale, 'Wave 2');
    await staleCard.getByText('Ready to go live').waitFor();
    expect((await page.request.patch(`/api/v1/checklist-items/${legal.id}`, { data: { state: 'todo' } })).status()).toBe(200);
    await goLive(stale, 'Wave 2').click();
    const refusal = staleCard.getByRole('alert');
    await refusal.getByText('Wave 2 cannot go live: 1 required item is open').waitFor();
    await refusal.getByText('Legal sign-off (To do)').waitFor();
    await h.screenshot(stale, 'rollout-409');
    expect((await waves(page)).find((w) => w.name === 'Wave 2')?.status).not.toBe('live');
    await stale.context().close();

    // the CSV export link is the api's
    const csv = await page.request.get((await card.getByRole('link', { name: /Checklist CSV/ }).getAttribute('href'))!);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('Legal sign-off');
    await page.context().close();
  });

  it('reschedules a wave, changes its sites and marks it in progress, and it stays that way after a reload', async () => {
    const page = await openRollout('pm@demo.tandem');
    const card = waveCard(page, 'Wave 2');
    await card.getByRole('button', { name: 'Edit wave Wave 2' }).click();
    const form = card.getByRole('form', { name: 'Edit Wave 2' });
    // keyboard users land in the form, and back on the button when it closes
    await expect.poll(() => form.getByLabel('Name').evaluate((el) => el === document.activeElement)).toBe(true);
    await form.getByLabel('Planned go-live').fill('2027-04-12');
    await form.getByLabel('Sites or teams').fill('Manila, Kraków, Cebu');
    await form.getByLabel('Status').selectOption({ label: 'In progress' });
    await form.getByRole('button', { name: 'Save wave' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => card.getByRole('button', { name: 'Edit wave Wave 2' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await card.getByText('12 Apr 2027').waitFor();
    await card.getByText('Manila, Kraków, Cebu', { exact: true }).waitFor();
    await card.getByText('In progress', { exact: true }).waitFor();
    const stored = (await waves(page)).find((w) => w.name === 'Wave 2') as WaveView & { plannedGoLive: string; scope: string[] };
    expect(stored).toMatchObject({ status: 'in_progress', plannedGoLive: '2027-04-12', scope: ['Manila', 'Kraków', 'Cebu'] });
    await page.reload();
    await waveCard(page, 'Wave 2').getByText('12 Apr 2027').waitFor();
    await page.context().close();
  });

  it('imports checklist items into one wave from CSV, after a check that shows the rows in error', async () => {
    const page = await openRollout('pm@demo.tandem');
    // GA went live above: a new row is refused in the preview, as a row error
    await waveCard(page, 'GA').getByRole('link', { name: 'Import CSV into GA' }).click();
    await page.getByRole('heading', { level: 2, name: 'Import the checklist of GA from CSV' }).waitFor();
    await whenReady(page, 'Check (dry run)');
    const closed = 'GA is live: its go-live checklist is closed. Add the item to a wave that is not live, or roll GA back first.';
    await page.getByText(`${closed} Rows with the id of one of its items still update them.`).waitFor();
    await page.getByLabel('…or paste it here').fill('title\nFound after go-live\n');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const refused = page.getByRole('region', { name: 'Check result' });
    await refused.getByText('1 of 1 rows have errors').waitFor();
    await refused.getByRole('listitem').filter({ hasText: closed }).waitFor();
    expect(await page.getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);

    await page.goto('/programs/QA/rollout');
    await waveCard(page, 'Wave 2').getByRole('link', { name: 'Import CSV into Wave 2' }).click();
    await page.getByRole('heading', { level: 2, name: 'Import the checklist of Wave 2 from CSV' }).waitFor();
    await whenReady(page, 'Check (dry run)');
    const csv = page.getByLabel('…or paste it here');
    await csv.fill('title,owner,required,due_date,state,reason\nE2E site readiness call,Tooling,false,2027-03-01,todo,\n,nobody@nowhere.test,perhaps,not-a-date,blocked,\n');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const preview = page.getByRole('region', { name: 'Check result' });
    await preview.getByText('1 of 2 rows have errors').waitFor();
    expect(await page.getByRole('button', { name: /^Import/ }).isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await csv.fill('title,owner,required,due_date,state,reason\nE2E site readiness call,Tooling,false,2027-03-01,todo,\n');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await preview.getByText('The row is fine: 1 to add.').waitFor();
    await page.getByRole('button', { name: 'Import 1 row' }).click();
    await page.getByRole('heading', { level: 2, name: 'Waves' }).waitFor();
    await page.getByRole('rowheader', { name: /E2E site readiness call/ }).waitFor();
    // into Wave 2 only
    const wave2 = (await waves(page)).find((w) => w.name === 'Wave 2')!;
    const items = ((await (await page.request.get(`/api/v1/waves/${wave2.id}/checklist?limit=200`)).json()) as { items: { title: string; required: boolean; dueDate: string }[] }).items;
    expect(items.filter((i) => i.title === 'E2E site readiness call')).toEqual([expect.objectContaining({ required: false, dueDate: '2027-03-01' })]);
    const wave1 = (await waves(page)).find((w) => w.name === 'Wave 1')!;
    const others = ((await (await page.request.get(`/api/v1/waves/${wave1.id}/checklist?limit=200`)).json()) as { items: { title: string }[] }).items;
    expect(others.map((i) => i.title)).not.toContain('E2E site readiness call');
    await page.context().close();
  });

  it("removes a template item and undoes it: the item's row in the grid is whole again, on every wave that had it", async () => {
    type Grid = { waves: { id: string }[]; rows: { templateItemId: string | null; title: string; cells: Record<string, { itemId: string } | null> }[] };
    const page = await openRollout('pm@demo.tandem');
    const grid = async () => (await (await page.request.get('/api/v1/programs/QA/rollout-grid')).json()) as Grid;
    const before = await grid();
    const macros = before.rows.filter((r) => r.title === 'Macros updated');
    expect(macros).toHaveLength(1);
    const waveCount = Object.values(macros[0]!.cells).filter(Boolean).length;
    expect(waveCount).toBe(before.waves.length);
    const rowHeads = page.getByRole('rowheader', { name: /^Macros updated/ });
    expect(await rowHeads.count()).toBe(1);

    await page.getByText('Show and edit the template').click();
    await page.getByRole('button', { name: 'Remove Macros updated' }).click();
    await page.getByText('Removed "Macros updated" from the template. Waves that have it keep their item.').waitFor();
    // the waves keep their items meanwhile, each as a row of its own wave
    await expect.poll(() => rowHeads.count()).toBe(waveCount);
    await page.getByRole('button', { name: 'Undo' }).click();

    // back in the template where it was, and one row again holding the very same items
    await page.getByRole('listitem').filter({ hasText: 'Macros updated' }).getByText('Tooling').waitFor();
    await expect.poll(() => rowHeads.count()).toBe(1);
    expect(await rowHeads.textContent()).not.toContain('this wave only');
    const after = await grid();
    expect(after.rows.map((r) => r.title)).toEqual(before.rows.map((r) => r.title));
    expect(after.rows.find((r) => r.title === 'Macros updated')).toEqual(macros[0]);
    await page.context().close();
  });

  it('has no serious or critical axe violations on /rollout, and fits 375px and dark mode', async () => {
    const page = await openRollout('pm@demo.tandem');
    await page.getByRole('table').waitFor();
    const plain = await seriousViolations(page);
    await page.getByRole('button', { name: 'Annotate Training done in GA' }).click();
    await page.getByRole('dialog').waitFor();
    const withPopover = await seriousViolations(page);
    expect({ plain, withPopover }).toEqual({ plain: [], withPopover: [] });
    await page.context().close();

    for (const [name, options] of PHONE_AND_DARK) {
      const p = await openRollout('pm@demo.tandem', options);
      await p.getByRole('table').waitFor();
      const overflow = await sidewaysOverflow(p);
      expect(overflow.extra, `page wider than the screen (${name}): ${overflow.culprits.join(', ')}`).toBeLessThanOrEqual(0);
      if (name.includes('dark')) expect(await seriousViolations(p)).toEqual([]);
      await h.screenshot(p, `rollout-${name}`);
      await p.context().close();
    }
  }, 300_000);
});
