/**
 * Retros in a real browser against the real api: a retro created from the list, cards written in
 * one browser appearing in another, votes (one per person), grouping, moving by keyboard, action
 * items turned into a milestone and a checklist item in one click (the card keeps the link), and
 * axe on the board.
 *
 * Real: PostgreSQL, the api process with demo data, the /collab socket, Chromium.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { person, seriousViolations, useHarness } from './harness';

const h = useHarness();

const column = (page: Page, title: string): Locator => page.getByRole('region', { name: new RegExp(`^${title}`) });
const card = (page: Page, text: string): Locator => page.locator('article.retro-card', { hasText: text });

async function waitSaved(page: Page): Promise<void> {
  await page.locator('.save-status .text', { hasText: /^Saved$/ }).waitFor({ timeout: 10_000 });
}

async function addCard(page: Page, columnTitle: string, text: string): Promise<void> {
  await page.getByLabel(`Add a card to ${columnTitle}`).fill(text);
  await page.getByLabel(`Add a card to ${columnTitle}`).press('Enter');
  await column(page, columnTitle).locator('article.retro-card', { hasText: text }).waitFor();
}


describe('retro board (real browser, real api)', { timeout: 150_000 }, () => {
  let retroUrl = '';

  it('creates a retro from the list; cards, votes and groups appear live for the other person', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    await pm.goto('/programs/QA/docs');
    await pm.getByRole('button', { name: 'New plan or retro' }).click();
    await pm.getByRole('radio', { name: /Retro/ }).check();
    await pm.getByLabel('Title').fill('Pilot retro');
    await pm.getByRole('button', { name: 'Create retro' }).click();
    await pm.waitForURL(/\/programs\/QA\/docs\/[0-9a-f-]{36}$/);
    retroUrl = new URL(pm.url()).pathname;
    await column(pm, 'Went well').waitFor();
    await column(pm, 'To improve').waitFor();
    await column(pm, 'Action items').waitFor();

    const partner = await person(h, 'partner@demo.tandem');
    await partner.goto(retroUrl);
    await column(partner, 'Went well').waitFor();

    // a card written by one appears for the other
    await addCard(pm, 'Went well', 'Lisbon calibration sessions were well attended');
    await column(partner, 'Went well').locator('article.retro-card', { hasText: 'Lisbon calibration' }).waitFor({ timeout: 3_000 });
    await addCard(partner, 'To improve', 'Scorecard wording confused agents');
    await card(pm, 'Scorecard wording').waitFor({ timeout: 3_000 });

    // votes: one per person, the count is shown to everyone
    await card(partner, 'Lisbon calibration').getByRole('button', { name: /^Vote for/ }).click();
    await card(pm, 'Lisbon calibration').getByText('1 vote').waitFor();
    await card(pm, 'Lisbon calibration').getByRole('button', { name: /^Vote for/ }).click();
    await card(partner, 'Lisbon calibration').getByText('2 votes').waitFor();
    // voting again takes my vote back
    await card(pm, 'Lisbon calibration').getByRole('button', { name: /^Remove my vote/ }).click();
    await card(partner, 'Lisbon calibration').getByText('1 vote').waitFor();

    // grouping: select two cards, group them
    await addCard(pm, 'To improve', 'Calibration sheet was in English only');
    await card(pm, 'Scorecard wording').getByRole('checkbox').check();
    await card(pm, 'Calibration sheet').getByRole('checkbox').check();
    await pm.getByRole('button', { name: 'Group selected' }).click();
    await column(partner, 'To improve').getByText('Group of 2').waitFor({ timeout: 3_000 });

    // moving a card with the keyboard: focus stays on the moved card
    await card(pm, 'Calibration sheet').getByRole('button', { name: /to Action items$/ }).focus();
    await pm.keyboard.press('Enter');
    await column(pm, 'Action items').locator('article.retro-card', { hasText: 'Calibration sheet' }).waitFor();
    expect(await pm.evaluate(() => document.activeElement?.closest('article')?.textContent ?? '')).toContain('Calibration sheet');
    await column(partner, 'Action items').locator('article.retro-card', { hasText: 'Calibration sheet' }).waitFor({ timeout: 3_000 });

    await waitSaved(pm);
    await waitSaved(partner);
    await h.screenshot(pm, 'retro-pm');
    await h.screenshot(partner, 'retro-partner');
    await pm.context().close();
    await partner.context().close();
  });

  it('turns action items into a milestone and a checklist item in one click; the card shows the link', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const partner = await person(h, 'partner@demo.tandem');
    await pm.goto(retroUrl);
    await partner.goto(retroUrl);
    await column(pm, 'Action items').waitFor();

    await addCard(pm, 'Action items', 'Translate the calibration sheet');
    const item = card(pm, 'Translate the calibration sheet');
    await item.getByRole('button', { name: /^Action item/ }).click();
    await item.getByRole('button', { name: 'Turn into milestone' }).click();
    await item.getByText('Turned into a milestone:').waitFor({ timeout: 10_000 });
    const link = item.getByRole('link', { name: 'Translate the calibration sheet' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^\/programs\/QA\/milestones#milestone-[0-9a-f-]{36}$/);
    // the collaborator sees the link too (the server wrote it into the document)
    await card(partner, 'Translate the calibration sheet').getByText('Turned into a milestone:').waitFor({ timeout: 5_000 });
    // and the milestone exists
    const milestones = (await (await pm.request.get('/api/v1/programs/QA/milestones?limit=200')).json()) as { items: { title: string }[] };
    expect(milestones.items.map((m) => m.title)).toContain('Translate the calibration sheet');
    expect(await item.getByRole('button', { name: 'Turn into milestone' }).count()).toBe(0);

    await addCard(pm, 'Action items', 'Brief Manila team leads');
    const second = card(pm, 'Brief Manila team leads');
    await second.getByRole('button', { name: /^Action item/ }).click();
    // the live Pilot is not offered, and the card says why
    expect(await second.getByLabel('Wave').locator('option').allTextContents()).toEqual(['Wave 1', 'GA']);
    await second.getByText('Not offered: Pilot is live: its go-live checklist is closed. Add the item to a wave that is not live, or roll Pilot back first.').waitFor();
    await second.getByLabel('Wave').selectOption({ label: 'Wave 1' });
    await second.getByRole('button', { name: 'Turn into checklist item' }).click();
    await second.getByText('Turned into a checklist item:').waitFor({ timeout: 10_000 });
    expect(await second.getByRole('link').getAttribute('href')).toMatch(/^\/programs\/QA\/rollout#item-[0-9a-f-]{36}$/);

    await h.screenshot(pm, 'retro-converted');
    const axe = await seriousViolations(pm);
    expect(axe).toEqual([]);
    await pm.context().close();
    await partner.context().close();
  });

  it('follows the milestone a card became: renamed or deleted since, live; then it can be turned into one again', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    await pm.goto(retroUrl);
    const item = card(pm, 'Translate the calibration sheet');
    const href = await item.getByRole('link', { name: 'Translate the calibration sheet' }).getAttribute('href');
    const milestoneId = /#milestone-([0-9a-f-]{36})$/.exec(href ?? '')?.[1];
    expect(milestoneId).toBeTruthy();

    // changed elsewhere (here through the api, as another tab or person would): the open board follows
    expect((await pm.request.patch(`/api/v1/milestones/${milestoneId}`, { data: { title: 'Translate the calibration sheet (FR, ES)' } })).status()).toBe(200);
    await item.getByRole('link', { name: 'Translate the calibration sheet (FR, ES)' }).waitFor({ timeout: 10_000 });
    expect((await pm.request.delete(`/api/v1/milestones/${milestoneId}`)).status()).toBe(204);
    await item.getByText('the milestone has since been deleted').waitFor({ timeout: 10_000 });
    expect(await item.getByRole('link').count()).toBe(0);
    await item.getByRole('button', { name: 'Turn into milestone' }).click();
    const link = item.getByRole('link', { name: 'Translate the calibration sheet' });
    await link.waitFor({ timeout: 10_000 });
    expect(await link.getAttribute('href')).not.toContain(milestoneId);
    expect(await item.getByText('the milestone has since been deleted').count()).toBe(0);
    await pm.context().close();
  });

  it('names the checklist item a card became and follows it: renamed or deleted since, live; then it can be turned into something again', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    await pm.goto(retroUrl);
    const item = card(pm, 'Brief Manila team leads');
    // the link reads as the item, not as "open the rollout checklist"
    const link = item.getByRole('link', { name: 'Brief Manila team leads' });
    await link.waitFor({ timeout: 10_000 });
    const itemId = /#item-([0-9a-f-]{36})$/.exec((await link.getAttribute('href')) ?? '')?.[1];
    expect(itemId).toBeTruthy();

    expect((await pm.request.patch(`/api/v1/checklist-items/${itemId}`, { data: { title: 'Brief Manila and Cebu team leads' } })).status()).toBe(200);
    await item.getByRole('link', { name: 'Brief Manila and Cebu team leads' }).waitFor({ timeout: 10_000 });
    expect((await pm.request.delete(`/api/v1/checklist-items/${itemId}`)).status()).toBe(204);
    await item.getByText('the checklist item has since been deleted').waitFor({ timeout: 10_000 });
    expect(await item.getByRole('link').count()).toBe(0);
    await item.getByRole('button', { name: 'Turn into milestone' }).click();
    await item.getByRole('link', { name: 'Brief Manila team leads' }).waitFor({ timeout: 10_000 });
    expect(await item.getByText('Turned into a milestone:').count()).toBe(1);
    expect(await item.getByText('the checklist item has since been deleted').count()).toBe(0);
    await pm.context().close();
  });

  it('shows leadership the board without controls, and fits 375px in light and dark', async () => {
    const leader = await person(h, 'leader@demo.tandem');
    await leader.goto(retroUrl);
    await card(leader, 'Lisbon calibration').waitFor();
    await leader.locator('.badge', { hasText: 'View only' }).waitFor();
    expect(await leader.getByRole('button', { name: /^Vote|Group selected|Turn into|Delete/ }).count()).toBe(0);
    expect(await leader.getByLabel(/^Add a card/).count()).toBe(0);
    expect(await seriousViolations(leader)).toEqual([]);
    await h.screenshot(leader, 'retro-leader');
    await leader.context().close();

    for (const colorScheme of ['light', 'dark'] as const) {
      const phone = await person(h, 'pm@demo.tandem', { colorScheme, viewport: { width: 375, height: 812 } });
      await phone.goto(retroUrl);
      await card(phone, 'Lisbon calibration').waitFor();
      await waitSaved(phone);
      if (colorScheme === 'dark') expect(await seriousViolations(phone)).toEqual([]);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await h.screenshot(phone, `retro-375-${colorScheme}`);
      expect(overflow).toBe(0);
      await phone.context().close();
    }
  });

  it('keeps keyboard focus on the card after editing it, and in its column after deleting it', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const created = await pm.request.post('/api/v1/programs/QA/docs', { data: { kind: 'retro', title: `Keyboard retro ${Date.now()}` } });
    await pm.goto(`/programs/QA/docs/${((await created.json()) as { id: string }).id}`);
    await waitSaved(pm);
    await addCard(pm, 'To improve', 'Card to edit by keyboard');
    const edit = card(pm, 'Card to edit by keyboard').getByRole('button', { name: /^Edit/ });
    await edit.focus();
    await pm.keyboard.press('Enter');
    // (while editing, the card's text is in the text area, not in the card's text content)
    await pm.getByLabel('Card text').waitFor();
    await pm.keyboard.press('End');
    await pm.keyboard.type(', edited');
    await pm.keyboard.press('Enter');
    await card(pm, 'Card to edit by keyboard, edited').waitFor();
    await expect.poll(() => pm.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit “Card to edit by keyboard, edited”');
    // Escape leaves the text as it was, and focus on the card too
    await pm.keyboard.press('Enter');
    await pm.keyboard.press('Escape');
    await expect.poll(() => pm.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit “Card to edit by keyboard, edited”');

    // an emptied card is refused like an empty new one: it says why, the text stays
    await pm.keyboard.press('Enter');
    await pm.getByLabel('Card text').fill('   ');
    await pm.keyboard.press('Enter');
    await pm.getByText('A card needs some text. To remove the card, delete it.').waitFor();
    expect(await pm.getByLabel('Card text').evaluate((el) => el === document.activeElement && el.getAttribute('aria-invalid') === 'true')).toBe(true);
    await pm.keyboard.press('Escape');
    await card(pm, 'Card to edit by keyboard, edited').waitFor();
    // so is "Add card" with nothing written
    await pm.getByLabel('Add a card to To improve').fill('  ');
    await pm.getByLabel('Add a card to To improve').press('Enter');
    await pm.getByText('Write something on the card first.').waitFor();
    expect(await pm.getByLabel('Add a card to To improve').evaluate((el) => el === document.activeElement)).toBe(true);
    await pm.getByLabel('Add a card to To improve').fill('');

    await card(pm, 'Card to edit by keyboard, edited').getByRole('button', { name: /^Delete/ }).focus();
    await pm.keyboard.press('Enter');
    await card(pm, 'Card to edit by keyboard, edited').waitFor({ state: 'detached' });
    await expect.poll(() => pm.evaluate(() => document.activeElement?.getAttribute('id'))).toMatch(/^add-/);
    expect(await pm.evaluate(() => document.activeElement?.closest('section')?.getAttribute('aria-labelledby'))).toMatch(/^column-/);
    expect(await pm.getByLabel('Add a card to To improve').evaluate((el) => el === document.activeElement)).toBe(true);
    await pm.context().close();
  });

  it('keeps keyboard focus on the card after turning it into a milestone (its convert button goes away)', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const created = await pm.request.post('/api/v1/programs/QA/docs', { data: { kind: 'retro', title: `Convert focus retro ${Date.now()}` } });
    await pm.goto(`/programs/QA/docs/${((await created.json()) as { id: string }).id}`);
    await waitSaved(pm);
    await addCard(pm, 'Action items', 'Convert me by keyboard');
    const item = card(pm, 'Convert me by keyboard');
    await item.getByRole('button', { name: /^Action item/ }).click();
    await waitSaved(pm);
    await item.getByRole('button', { name: 'Turn into milestone' }).focus();
    await pm.keyboard.press('Enter');
    await item.getByRole('link', { name: 'Convert me by keyboard' }).waitFor({ timeout: 10_000 });
    expect(await item.getByRole('button', { name: 'Turn into milestone' }).count()).toBe(0);
    await expect
      .poll(() => pm.evaluate(() => document.activeElement?.closest('article.retro-card')?.textContent ?? document.activeElement?.tagName ?? ''))
      .toContain('Convert me by keyboard');
    await pm.context().close();
  });

  it('keeps keyboard focus on the convert button when turning a card into work fails, beside the reason', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const created = await pm.request.post('/api/v1/programs/QA/docs', { data: { kind: 'retro', title: `Convert failure retro ${Date.now()}` } });
    await pm.goto(`/programs/QA/docs/${((await created.json()) as { id: string }).id}`);
    await waitSaved(pm);
    await addCard(pm, 'Action items', 'Convert me into a gone wave');
    const item = card(pm, 'Convert me into a gone wave');
    await item.getByRole('button', { name: /^Action item/ }).click();
    await waitSaved(pm);
    // the wave was deleted by someone else meanwhile
    await pm.route('**/convert', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'Wave not found' }) }),
    );
    await item.getByRole('button', { name: 'Turn into checklist item' }).focus();
    await pm.keyboard.press('Enter');
    await item.getByRole('alert').filter({ hasText: 'Wave not found' }).waitFor();
    await expect.poll(() => pm.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Turn into checklist item');
    await pm.context().close();
  });

  it('keeps keyboard focus on a card after grouping, ungrouping and clearing the selection (the buttons used go away or are disabled)', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const created = await pm.request.post('/api/v1/programs/QA/docs', { data: { kind: 'retro', title: `Grouping focus retro ${Date.now()}` } });
    await pm.goto(`/programs/QA/docs/${((await created.json()) as { id: string }).id}`);
    await waitSaved(pm);
    await addCard(pm, 'To improve', 'First card to group');
    await addCard(pm, 'To improve', 'Second card to group');
    const focusedCard = () => pm.evaluate(() => document.activeElement?.closest('article.retro-card')?.querySelector('p.text')?.textContent ?? document.activeElement?.tagName);

    await card(pm, 'First card to group').getByRole('checkbox').check();
    await card(pm, 'Second card to group').getByRole('checkbox').check();
    await pm.getByRole('button', { name: 'Group selected' }).focus();
    await pm.keyboard.press('Enter');
    await column(pm, 'To improve').getByText('Group of 2').waitFor();
    await expect.poll(focusedCard).toBe('First card to group');

    await card(pm, 'Second card to group').getByRole('button', { name: /^Ungroup/ }).focus();
    await pm.keyboard.press('Enter');
    await column(pm, 'To improve').getByText('Group of 2').waitFor({ state: 'detached' });
    await expect.poll(focusedCard).toBe('Second card to group');

    await card(pm, 'Second card to group').getByRole('checkbox').check();
    await pm.getByRole('button', { name: 'Clear selection' }).focus();
    await pm.keyboard.press('Enter');
    await pm.getByRole('button', { name: 'Clear selection' }).waitFor({ state: 'detached' });
    await expect.poll(focusedCard).toBe('Second card to group');
    await pm.context().close();
  });

  it('deletes a card with Undo', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    await pm.goto(retroUrl);
    await addCard(pm, 'Went well', 'Temporary card');
    await card(pm, 'Temporary card').getByRole('button', { name: /^Delete/ }).click();
    await card(pm, 'Temporary card').waitFor({ state: 'detached' });
    await pm.getByRole('button', { name: 'Undo', exact: true }).click();
    await card(pm, 'Temporary card').waitFor();
    await pm.context().close();
  });

  /** The PM and the partner on a new retro of QA, both saved. */
  async function bothOnANewRetro(title: string): Promise<{ pm: Page; partner: Page }> {
    const pm = await person(h, 'pm@demo.tandem');
    const partner = await person(h, 'partner@demo.tandem');
    const created = await pm.request.post('/api/v1/programs/QA/docs', { data: { kind: 'retro', title: `${title} ${Date.now()}` } });
    const url = `/programs/QA/docs/${((await created.json()) as { id: string }).id}`;
    await pm.goto(url);
    await partner.goto(url);
    await waitSaved(pm);
    await waitSaved(partner);
    return { pm, partner };
  }

  it('keeps what someone is typing on a card when the other person moves or groups it meanwhile', async () => {
    const { pm, partner } = await bothOnANewRetro('Moved while edited');
    await addCard(pm, 'To improve', 'Calibration sheet in English');
    await addCard(pm, 'Action items', 'Book the trainers');
    await card(partner, 'Calibration sheet in English').getByRole('button', { name: /^Edit/ }).click();
    const box = partner.getByLabel('Card text');
    await box.waitFor();
    await partner.keyboard.press('End');
    await partner.keyboard.type(' (FR needed');

    // The PM moves the card to Action items while the partner is still typing on it.
    await card(pm, 'Calibration sheet in English').getByRole('button', { name: /to Action items$/ }).click();
    await column(partner, 'Action items').getByLabel('Card text').waitFor({ timeout: 5_000 });
    expect(await box.inputValue()).toBe('Calibration sheet in English (FR needed');
    // the text box still has the keyboard, the caret where it was: typing goes on
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await partner.keyboard.type(')');

    // ...and groups it with another card: still there
    await card(pm, 'Calibration sheet in English').getByRole('checkbox').check();
    await card(pm, 'Book the trainers').getByRole('checkbox').check();
    await pm.getByRole('button', { name: 'Group selected' }).click();
    await column(partner, 'Action items').getByText('Group of 2').waitFor({ timeout: 5_000 });
    expect(await box.inputValue()).toBe('Calibration sheet in English (FR needed)');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await partner.keyboard.press('Enter');
    await card(pm, 'Calibration sheet in English (FR needed)').waitFor({ timeout: 5_000 });
    expect(await column(pm, 'Action items').locator('article.retro-card', { hasText: '(FR needed)' }).count()).toBe(1);
    await waitSaved(partner);
    await pm.context().close();
    await partner.context().close();
  });

  it('keeps both people\'s changes to one card\'s wording, not both whole texts one after the other', async () => {
    const { pm, partner } = await bothOnANewRetro('Edited by both');
    await addCard(pm, 'To improve', 'Agents liked the scorecard');
    await card(partner, 'Agents liked the scorecard').waitFor();

    // The partner's change reaches the PM only after the PM has saved theirs: both were made on
    // the same text, as when two people press Save at the same moment.
    await partner.context().setOffline(true);
    await partner.locator('.save-status .text', { hasText: /^Offline/ }).waitFor({ timeout: 10_000 });
    await card(partner, 'Agents liked the scorecard').getByRole('button', { name: /^Edit/ }).click();
    await partner.getByLabel('Card text').fill('Agents liked the scorecard a lot');
    await partner.getByLabel('Card text').press('Enter');
    await card(pm, 'Agents liked the scorecard').getByRole('button', { name: /^Edit/ }).click();
    await pm.getByLabel('Card text').fill('Agents liked the new scorecard');
    await pm.getByLabel('Card text').press('Enter');
    await waitSaved(pm);
    await partner.context().setOffline(false);

    const both = 'Agents liked the new scorecard a lot';
    await card(pm, both).waitFor({ timeout: 30_000 });
    await card(partner, both).waitFor({ timeout: 5_000 });
    expect(await card(pm, both).locator('p.text').textContent()).toBe(both);
    expect(await card(partner, both).locator('p.text').textContent()).toBe(both);

    // Saving a text box opened before someone else's change does not take that change back.
    await card(partner, both).getByRole('button', { name: /^Edit/ }).click();
    await card(pm, both).getByRole('button', { name: /^Edit/ }).click();
    await pm.getByLabel('Card text').fill('Most agents liked the new scorecard a lot');
    await pm.getByLabel('Card text').press('Enter');
    await waitSaved(pm);
    await partner.getByLabel('Card text').press('End');
    await partner.keyboard.type('!');
    await partner.keyboard.press('Enter');
    const all = 'Most agents liked the new scorecard a lot!';
    await card(pm, all).waitFor({ timeout: 5_000 });
    expect(await card(partner, all).locator('p.text').textContent()).toBe(all);
    await waitSaved(pm);
    await waitSaved(partner);
    await pm.context().close();
    await partner.context().close();
  });
});
