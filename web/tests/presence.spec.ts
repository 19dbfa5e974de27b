/**
 * Presence colours in a real browser against the real api: two people whose user ids pick the same
 * colour open the same plan, and each sees the other — avatar and caret — in a colour of their own.
 *
 * Real: PostgreSQL, the api process with demo data, the /collab socket, Chromium. Demo ids are
 * random, so the partner's id is first changed (through the database, every reference to it
 * follows) to one whose preferred colour is the PM's, as the demo database happened to have it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { preferredColor } from '@tandem/collab-protocol';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { person, useHarness } from './harness';

const h = useHarness();

/** Gives the partner an id whose preferred colour is the PM's; returns that colour. */
async function partnerPrefersThePmsColour(): Promise<string> {
  const client = new pg.Client({ connectionString: h.databaseUrl });
  await client.connect();
  try {
    const pm = await client.query<{ id: string }>(`select id from "user" where email = 'pm@demo.tandem'`);
    const wanted = preferredColor(pm.rows[0]!.id);
    let id = randomUUID();
    while (preferredColor(id) !== wanted) id = randomUUID();
    await client.query(`update "user" set id = $1 where email = 'partner@demo.tandem'`, [id]);
    return wanted;
  } finally {
    await client.end();
  }
}

async function openPlan(page: Page): Promise<void> {
  const res = await page.request.get('/api/v1/programs/QA/docs');
  expect(res.status()).toBe(200);
  const doc = ((await res.json()) as { items: { id: string; title: string }[] }).items.find((d) => d.title === 'QA rollout plan');
  if (!doc) throw new Error('no QA rollout plan');
  await page.goto(`/programs/QA/docs/${doc.id}`);
  await page.locator('.doc-text').waitFor();
}

const avatarColour = (page: Page, name: string) =>
  page.getByRole('img', { name, exact: true }).evaluate((el) => getComputedStyle(el).backgroundColor);

const caretColour = (page: Page, name: string) =>
  page.locator('.collaboration-carets__caret', { hasText: name }).evaluate((el) => getComputedStyle(el).borderLeftColor);

/** "#0f6b4f" → "rgb(15, 107, 79)", as getComputedStyle says it. */
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

describe('presence colours (real browser, real api)', { timeout: 120_000 }, () => {
  it('shows two people whose ids pick the same colour in different colours, the same on both screens', async () => {
    const shared = await partnerPrefersThePmsColour();
    const pm = await person(h, 'pm@demo.tandem');
    const partner = await person(h, 'partner@demo.tandem', { colorScheme: 'dark' });
    await openPlan(pm);
    await pm.getByRole('img', { name: 'Priya Manager (you)', exact: true }).waitFor();
    await openPlan(partner);
    await pm.getByRole('img', { name: 'Paolo Partner', exact: true }).waitFor();
    await partner.getByRole('img', { name: 'Priya Manager', exact: true }).waitFor();

    // avatars: different colours on each screen, and each person in the same colour on both
    const colours = async () => ({
      pmHere: await avatarColour(pm, 'Priya Manager (you)'),
      partnerHere: await avatarColour(pm, 'Paolo Partner'),
      pmThere: await avatarColour(partner, 'Priya Manager'),
      partnerThere: await avatarColour(partner, 'Paolo Partner (you)'),
    });
    await expect
      .poll(
        async () => {
          const c = await colours();
          return { ...c, differ: c.pmHere !== c.partnerHere, bothScreensAgree: c.pmHere === c.pmThere && c.partnerHere === c.partnerThere };
        },
        { timeout: 10_000 },
      )
      .toMatchObject({ differ: true, bothScreensAgree: true });
    const settled = await colours();
    // the PM was there first and keeps the colour both ids pick; the partner gets another
    expect(settled.pmHere).toBe(rgb(shared));
    expect(settled.partnerHere).not.toBe(rgb(shared));

    // carets: each sees the other's caret in that person's avatar colour
    await pm.locator('.doc-text').click();
    await partner.locator('.doc-text').click();
    await expect.poll(() => caretColour(partner, 'Priya Manager'), { timeout: 10_000 }).toBe(settled.pmThere);
    await expect.poll(() => caretColour(pm, 'Paolo Partner'), { timeout: 10_000 }).toBe(settled.partnerHere);

    // still so a moment later: nobody flips back
    await pm.waitForTimeout(1_500);
    expect(await colours()).toEqual(settled);
    await h.screenshot(pm, 'presence-pm');
    await h.screenshot(partner, 'presence-partner-dark');
    await pm.context().close();
    await partner.context().close();
  });
});
