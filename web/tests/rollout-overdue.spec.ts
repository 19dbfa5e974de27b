/**
 * What is overdue in a rollout, where the program manager works: in real Chromium against the real
 * api (fresh PostgreSQL with the demo organisation). A program whose Pilot missed its go-live and
 * has required items past due is set up through the api; the rollout page marks them in words,
 * filters to them, and the portfolio's and the signals panel's overdue counts link there. Nothing
 * is mocked. The overdue milestones link to the milestones list filtered the same way.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hydrated, openAs, person, seriousViolations, useHarness } from './harness';

const h = useHarness();

const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
/** 2026-06-10 → 10 Jun 2026, as the page writes dates (formatDate) */
const shown = (iso: string) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

const waveCard = (page: Page, name: string) => page.getByRole('article', { name, exact: true });
const grid = (page: Page) => page.getByRole('table', { name: /Go-live checklist/ });
const rowTitles = (page: Page) => grid(page).locator('tbody th[scope="row"] .item-title').allInnerTexts();
const waveColumns = (page: Page) => grid(page).locator('thead .wave-name').allInnerTexts();

let pilotId = '';

describe('overdue checklist items and a missed go-live (real browser, real api)', { timeout: 180_000 }, () => {
  it('is set up through the api: Pilot 5 days past its go-live with 3 required items past due', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const api = async (path: string, data: object, method: 'post' | 'patch' = 'post') => {
      const res = await pm.request[method](`/api/v1${path}`, { data });
      expect(res.status(), await res.text()).toBeLessThan(300);
      return (await res.json()) as { id: string };
    };
    await api('/programs', { key: 'LATE', name: 'Late rollout' });
    const pilot = await api('/programs/LATE/waves', { name: 'Pilot', plannedGoLive: day(-5) });
    pilotId = pilot.id;
    await api(`/waves/${pilot.id}`, { status: 'in_progress' }, 'patch');
    await api(`/waves/${pilot.id}/checklist`, { title: 'Training done', dueDate: day(-8) });
    await api(`/waves/${pilot.id}/checklist`, { title: 'Macros updated', dueDate: day(-3) });
    const comms = await api(`/waves/${pilot.id}/checklist`, { title: 'Comms sent', dueDate: day(-1) });
    await api(`/checklist-items/${comms.id}`, { state: 'blocked', reason: 'waiting for legal' }, 'patch');
    // not overdue: optional, done, due today, no due date
    await api(`/waves/${pilot.id}/checklist`, { title: 'Nice to have', dueDate: day(-2), required: false });
    const done = await api(`/waves/${pilot.id}/checklist`, { title: 'Site survey', dueDate: day(-9) });
    await api(`/checklist-items/${done.id}`, { state: 'done' }, 'patch');
    await api(`/waves/${pilot.id}/checklist`, { title: 'Go/no-go sign-off', dueDate: day(0) });
    // a wave with nothing on its checklist yet
    await api('/programs/LATE/waves', { name: 'GA', plannedGoLive: day(40) });
    const signals = (await (await pm.request.get('/api/v1/programs/LATE/signals')).json()) as { signals: { overdueChecklistItems: number } };
    expect(signals.signals.overdueChecklistItems).toBe(3);
    await pm.context().close();
  });

  it('marks the overdue items and the missed go-live on the rollout page, in words, and filters to them', async () => {
    const page = await openAs(h, 'pm@demo.tandem', '/programs/LATE/rollout', { viewport: { width: 1360, height: 1000 } });
    const pilot = waveCard(page, 'Pilot');
    await pilot.getByText('Go-live overdue by 5 days').waitFor();
    // a wave without items says so rather than "0 of 0 closed · 100%"
    await waveCard(page, 'GA').getByText('No checklist items').waitFor();
    expect(await waveCard(page, 'GA').getByText('Go-live overdue').count()).toBe(0);

    // each overdue item says since when, as text beside its state (and in its button's name)
    const marks = grid(page).getByText(/Overdue since /);
    expect(await marks.allInnerTexts()).toEqual([`Overdue since ${shown(day(-8))}`, `Overdue since ${shown(day(-3))}`, `Overdue since ${shown(day(-1))}`].map((t) => expect.stringContaining(t)));
    expect(await page.getByRole('button', { name: `Training done, Pilot: To do, overdue since ${shown(day(-8))}. Mark done` }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /^Nice to have, Pilot: To do\. / }).count()).toBe(1);
    // the gate's list names them as overdue too
    expect(await pilot.locator('.blockers').innerText()).toContain(`overdue since ${shown(day(-3))}`);

    // the filter: only the overdue items, only the wave they gate; back to everything
    const filter = page.getByRole('link', { name: 'Show overdue items (3)' });
    await filter.click();
    await page.waitForURL((url) => url.searchParams.get('show') === 'overdue');
    await expect.poll(() => rowTitles(page)).toEqual(['Training done', 'Macros updated', 'Comms sent']);
    expect(await waveColumns(page)).toEqual(['Pilot']);
    await page.getByText('Showing only the 3 overdue items').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await h.screenshot(page, 'rollout-overdue-filter');
    await page.getByRole('link', { name: 'Show all items' }).click();
    await expect.poll(() => rowTitles(page)).toHaveLength(6);
    expect(await waveColumns(page)).toEqual(['Pilot', 'GA']);

    // ticking one off takes it out of the count at once
    await page.getByRole('button', { name: /^Macros updated, Pilot: To do, overdue since/ }).click();
    await page.getByRole('link', { name: 'Show overdue items (2)' }).waitFor();
    await page.context().close();
  });

  it('links the portfolio\'s Overdue cell and the signals panel to the marks', async () => {
    const leader = await person(h, 'leader@demo.tandem', { viewport: { width: 1360, height: 1000 } });
    await leader.waitForURL('**/portfolio');
    const late = leader.locator('tbody tr[data-program="LATE"]');
    // the current wave is Pilot (not live), and GA's empty list is nowhere "100%"
    expect(await late.locator('td').nth(6).innerText()).toMatch(/Pilot/);
    // from "2 checklist items" (one was ticked above) to the rollout page filtered to them
    await late.getByRole('link', { name: '2 checklist items overdue in Late rollout' }).click();
    await leader.waitForURL((url) => url.pathname === '/programs/LATE/rollout' && url.searchParams.get('show') === 'overdue');
    await hydrated(leader);
    await expect.poll(() => rowTitles(leader)).toEqual(['Training done', 'Comms sent']);
    // leadership reads: the marks are there without the buttons
    expect(await grid(leader).getByText(/Overdue since /).count()).toBe(2);

    // the missed go-live links to its wave's card
    await leader.goto('/portfolio');
    await late.getByRole('link', { name: 'Pilot go-live, 5 days late overdue in Late rollout' }).click();
    await leader.waitForURL((url) => url.pathname === '/programs/LATE/rollout' && url.hash === `#wave-${pilotId}`);
    await waveCard(leader, 'Pilot').getByText('Go-live overdue by 5 days').waitFor();

    // the program's signals panel: the overdue checklist items tile opens the same filter
    await leader.goto('/programs/LATE');
    const panel = leader.getByRole('region', { name: 'Signals' });
    await panel.getByRole('link', { name: '2 overdue checklist items: show in Rollout' }).click();
    await leader.waitForURL((url) => url.pathname === '/programs/LATE/rollout' && url.searchParams.get('show') === 'overdue');
    await hydrated(leader);
    await expect.poll(() => rowTitles(leader)).toEqual(['Training done', 'Comms sent']);
    await leader.context().close();
  });

  it('links the overdue milestones, from the portfolio and the signals panel, to the milestones list filtered to them', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    for (const [title, dueDate] of [['Vendor contract signed', day(-4)], ['Playbook published', day(10)]] as const) {
      expect((await pm.request.post('/api/v1/programs/LATE/milestones', { data: { title, dueDate } })).status()).toBe(201);
    }
    await pm.context().close();

    const leader = await person(h, 'leader@demo.tandem', { viewport: { width: 1360, height: 1000 } });
    await leader.waitForURL('**/portfolio');
    const listed = () => leader.getByRole('region', { name: 'List' }).locator('tbody tr').count();
    await leader.locator('tbody tr[data-program="LATE"]').getByRole('link', { name: '1 milestone overdue in Late rollout' }).click();
    await leader.waitForURL((url) => url.pathname === '/programs/LATE/milestones' && url.searchParams.get('show') === 'overdue');
    await leader.getByText('Showing only the overdue milestone: past their due date and not done.').waitFor();
    await expect.poll(listed).toBe(1);
    await leader.getByRole('region', { name: 'List' }).getByText('Vendor contract signed').waitFor();
    expect(await seriousViolations(leader)).toEqual([]);
    await leader.getByRole('link', { name: 'Show all milestones' }).click();
    await expect.poll(listed).toBe(2);
    await leader.getByRole('link', { name: 'Show overdue milestones (1)' }).waitFor();

    // the signals panel's tile opens the same list
    await leader.goto('/programs/LATE');
    await leader.getByRole('region', { name: 'Signals' }).getByRole('link', { name: '1 overdue milestone: show in Milestones' }).click();
    await leader.waitForURL((url) => url.pathname === '/programs/LATE/milestones' && url.searchParams.get('show') === 'overdue');
    await expect.poll(listed).toBe(1);
    await leader.context().close();
  });

  it('says "No checklist items" for a current wave without any, not 100%', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    expect((await pm.request.post('/api/v1/programs', { data: { key: 'EMPTYW', name: 'Empty wave' } })).status()).toBe(201);
    expect((await pm.request.post('/api/v1/programs/EMPTYW/waves', { data: { name: 'Pilot', plannedGoLive: day(20) } })).status()).toBe(201);
    await pm.goto('/portfolio');
    const cell = pm.locator('tbody tr[data-program="EMPTYW"] td').nth(6);
    await expect.poll(() => cell.innerText()).toContain('No checklist items');
    expect(await cell.innerText()).not.toContain('100%');
    await pm.goto('/programs/EMPTYW');
    const waves = pm.getByRole('region', { name: 'Signals' }).locator('.waves');
    await expect.poll(() => waves.innerText()).toContain('No checklist items');
    expect(await waves.innerText()).not.toContain('0 of 0');
    await pm.context().close();
  });
});
