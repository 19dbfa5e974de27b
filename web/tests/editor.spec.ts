/**
 * Plans in a real browser against the real api: two people editing the same plan live, carets,
 * "Saved" only after the server confirmed, edits kept across a reload while offline, viewers who
 * cannot type, versions saved and restored, the document list, and axe on each page.
 *
 * Real: PostgreSQL, the api process with demo data, the /collab socket, Chromium, IndexedDB.
 * Going offline is `context.setOffline(true)`; the browser's `offline` event closes the page's
 * WebSockets. To reload while the server is still out of reach, the page's HTTP must work again,
 * so the WebSocket alone is then refused by routing it through the test (`offlineSwitch`).
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { person, seriousViolations, signIn, useHarness } from './harness';

const h = useHarness();

interface DocRef {
  id: string;
  title: string;
}

async function findDoc(page: Page, program: string, title: string): Promise<DocRef> {
  const res = await page.request.get(`/api/v1/programs/${program}/docs`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { items: DocRef[] };
  const doc = body.items.find((d) => d.title === title);
  if (!doc) throw new Error(`no doc "${title}" in ${program}`);
  return doc;
}

const editorOf = (page: Page) => page.locator('.doc-text');

/** How many updates the browser's local copy of a document holds (y-indexeddb's `updates` store). */
async function storedUpdates(page: Page, docId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const name = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.startsWith('tandem-doc-') && n.endsWith(id));
    if (!name) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const count = db.transaction('updates', 'readonly').objectStore('updates').count();
        count.onerror = () => reject(count.error);
        count.onsuccess = () => {
          db.close();
          resolve(count.result);
        };
      };
    });
  }, docId);
}
const statusOf = (page: Page) => page.locator('.save-status .text');

async function openDoc(page: Page, program: string, doc: DocRef): Promise<void> {
  await page.goto(`/programs/${program}/docs/${doc.id}`);
  await page.getByRole('heading', { level: 2, name: doc.title }).waitFor();
  await editorOf(page).waitFor();
}

async function waitSaved(page: Page, timeout = 10_000): Promise<void> {
  await page.locator('.save-status .text', { hasText: /^Saved$/ }).waitFor({ timeout });
}

/** Types at the end of the document in a new paragraph. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
  const editor = editorOf(page);
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
}

/** The PM and the partner, each in a context of their own, both on QA's rollout plan; the PM's copy saved. */
async function bothOnThePlan(): Promise<{ pm: Page; partner: Page; doc: DocRef }> {
  const pm = await person(h, 'pm@demo.tandem');
  const partner = await person(h, 'partner@demo.tandem');
  const doc = await findDoc(pm, 'QA', 'QA rollout plan');
  await openDoc(pm, 'QA', doc);
  await openDoc(partner, 'QA', doc);
  await waitSaved(pm);
  return { pm, partner, doc };
}


/**
 * Routes every WebSocket of the context through the test, connected to the server while online.
 * `set(true)` closes the open ones and refuses new ones until `set(false)`.
 */
async function offlineSwitch(context: BrowserContext): Promise<{ set(offline: boolean): Promise<void> }> {
  let offline = false;
  const open = new Set<WebSocketRoute>();
  await context.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (offline) {
      void ws.close().catch(() => undefined);
      return;
    }
    ws.connectToServer();
    open.add(ws);
    ws.onClose(() => open.delete(ws));
  });
  return {
    async set(value: boolean) {
      offline = value;
      if (value) for (const ws of [...open]) await ws.close().catch(() => undefined);
    },
  };
}

describe('plans, edited together (real browser, real api)', { timeout: 150_000 }, () => {
  it('shows text typed by one person to the other within a second, with carets, and both say Saved', async () => {
    const { pm, partner, doc } = await bothOnThePlan();
    await waitSaved(partner);
    // the seeded text arrived over /collab
    expect(await editorOf(partner).textContent()).toContain('Why we are rolling out the QA scorecard');

    // each sees the other in the presence list
    await pm.getByRole('img', { name: 'Paolo Partner', exact: true }).waitFor();
    await partner.getByRole('img', { name: 'Priya Manager', exact: true }).waitFor();

    const line = `Pilot sign-off moved to Friday ${Date.now()}`;
    await typeAtEnd(pm, line);
    const typedAt = Date.now();
    await partner.locator('.doc-text', { hasText: line }).waitFor({ timeout: 5_000 });
    const latency = Date.now() - typedAt;
    expect(latency).toBeLessThan(1_000);

    // the partner sees the pm's caret with the pm's name, and the other way round
    const pmName = (await (await pm.request.get('/api/v1/auth/me')).json()) as { name: string };
    const partnerName = (await (await partner.request.get('/api/v1/auth/me')).json()) as { name: string };
    await partner.locator('.collaboration-carets__caret', { hasText: pmName.name }).waitFor({ timeout: 5_000 });
    await typeAtEnd(partner, 'Agreed, Friday works.');
    await pm.locator('.doc-text', { hasText: 'Agreed, Friday works.' }).waitFor({ timeout: 5_000 });
    await pm.locator('.collaboration-carets__caret', { hasText: partnerName.name }).waitFor({ timeout: 5_000 });

    await waitSaved(pm);
    await waitSaved(partner);
    await h.screenshot(pm, 'editor-pm');
    await h.screenshot(partner, 'editor-partner');

    // what was saved is what the server exports
    await expect.poll(async () => (await pm.request.get(`/api/v1/docs/${doc.id}/export.md`)).text(), { timeout: 5_000 }).toContain('Agreed, Friday works.');

    // undo takes back only my own change: the partner's line stays
    await editorOf(pm).click();
    await pm.keyboard.press('Control+End');
    await pm.keyboard.type(' (draft)');
    await pm.locator('.doc-text', { hasText: '(draft)' }).waitFor();
    await pm.keyboard.press('Control+z');
    await expect.poll(() => editorOf(pm).textContent()).not.toContain('(draft)');
    expect(await editorOf(pm).textContent()).toContain('Agreed, Friday works.');
    await waitSaved(pm);

    await pm.context().close();
    await partner.context().close();
  });

  it('shows a partner again as soon as they are back online, and takes their avatar and caret away as soon as they leave', async () => {
    const { pm, partner } = await bothOnThePlan();
    await waitSaved(partner);
    const partnerHere = pm.getByRole('img', { name: 'Paolo Partner', exact: true });
    const partnerCaret = pm.locator('.collaboration-carets__caret', { hasText: 'Paolo Partner' });
    await editorOf(partner).locator('p').first().click();
    await partnerHere.waitFor();
    await partnerCaret.waitFor({ timeout: 5_000 });

    // The partner's wifi drops: they are gone for the PM, then come back without touching anything.
    await partner.context().setOffline(true);
    await partnerHere.waitFor({ state: 'detached', timeout: 5_000 });
    await partner.context().setOffline(false);
    await waitSaved(partner, 30_000);
    // ...and are shown again at once, not when their presence next renews itself (15 s later).
    await partnerHere.waitFor({ timeout: 5_000 });
    await partnerCaret.waitFor({ timeout: 5_000 });
    expect(await pm.locator('.presence .count').textContent()).toBe('1 other person here');

    // They close the tab: their avatar and caret go with them, not 30 s later.
    await partner.close();
    await partnerHere.waitFor({ state: 'detached', timeout: 5_000 });
    await partnerCaret.waitFor({ state: 'detached', timeout: 5_000 });
    expect(await pm.locator('.presence .count').textContent()).toBe('Only you');
    await pm.context().close();
    await partner.context().close();
  });

  it('says the text is loading, and is not typed into, until the document is in; then takes typing', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const doc = await findDoc(pm, 'QA', 'QA rollout plan');
    const path = `/programs/QA/docs/${doc.id}`;

    // the first paint, before any script: the server-rendered page already says so
    const html = await (await pm.request.get(path)).text();
    expect(html).toMatch(/class="doc-editor[^"]*\bloading\b[^"]*"[^>]*aria-busy="true"/);
    expect(html).toContain('Loading document…');

    // "Before the first sync" made observable: the page's WebSockets (/live and the editor's)
    // reach the server only once the test lets them.
    let letThrough!: () => void;
    const held = new Promise<void>((resolve) => (letThrough = resolve));
    await pm.routeWebSocket(/\/socket\.io\//, async (ws) => {
      await held;
      ws.connectToServer();
    });
    await pm.goto(path);
    await pm.getByRole('heading', { level: 2, name: doc.title }).waitFor();
    await editorOf(pm).waitFor(); // hydrated: the session and its editor exist, nothing synced
    const region = pm.locator('.doc-editor');
    const note = region.getByText('Loading document…');
    expect(await region.getAttribute('aria-busy')).toBe('true');
    expect(await note.isVisible()).toBe(true);
    expect(await editorOf(pm).getAttribute('contenteditable')).toBe('false');
    expect(await editorOf(pm).getAttribute('aria-readonly')).toBe('true');
    // focusing the text area says why it takes no typing
    const describedBy = await editorOf(pm).getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    expect(await pm.locator(`[id="${describedBy}"]`).textContent()).toBe('Loading document…');
    await h.screenshot(pm, 'editor-loading');
    // someone clicks into the text area while it loads, to type as soon as it is in
    await editorOf(pm).click();

    letThrough();
    await pm.locator('.doc-text[contenteditable="true"]').waitFor();
    expect(await region.getAttribute('aria-busy')).toBeNull();
    expect(await note.count()).toBe(0);
    expect(await editorOf(pm).getAttribute('aria-describedby')).toBeNull();
    expect(await editorOf(pm).textContent()).toContain('Why we are rolling out the QA scorecard');
    // the caret is in the text once it is in: typing without clicking again lands in the document
    await expect.poll(() => editorOf(pm).evaluate((el) => el === document.activeElement)).toBe(true);
    const first = `Typed after clicking while loading ${Date.now()}`;
    await pm.keyboard.type(first);
    await pm.locator('.doc-text', { hasText: first }).waitFor();
    const line = `Typed once loaded ${Date.now()}`;
    await typeAtEnd(pm, line);
    await pm.locator('.doc-text', { hasText: line }).waitFor();
    await waitSaved(pm);
    await pm.context().close();
  });

  it('a document page opened directly still hears changes to its program, live', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const doc = await findDoc(pm, 'QA', 'QA rollout plan');
    await openDoc(pm, 'QA', doc);
    await waitSaved(pm);
    const before = (await (await pm.request.get('/api/v1/programs/QA')).json()) as { name: string };
    const renamed = `${before.name} (renamed ${Date.now()})`;
    expect((await pm.request.patch('/api/v1/programs/QA', { data: { name: renamed } })).status()).toBe(200);
    try {
      await pm.getByRole('heading', { level: 1, name: renamed }).waitFor({ timeout: 10_000 });
    } finally {
      await pm.request.patch('/api/v1/programs/QA', { data: { name: before.name } });
    }
    await pm.context().close();
  });

  it('keeps edits made offline across a reload and sends them when the connection is back', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const net = await offlineSwitch(pm.context());
    const doc = await findDoc(pm, 'QA', 'QA rollout plan');
    await openDoc(pm, 'QA', doc);
    await waitSaved(pm);

    // The browser goes offline: the page closes both its connections (/live and the editor's) at once.
    await pm.context().setOffline(true);
    await statusOf(pm).filter({ hasText: /^Offline/ }).waitFor({ timeout: 10_000 });
    const line = `Written on the train ${Date.now()}`;
    await typeAtEnd(pm, line);
    await statusOf(pm).filter({ hasText: /^Offline — \d+ changes? not yet saved$/ }).waitFor();
    await h.screenshot(pm, 'editor-offline');

    // Closing the tab now would leave the change in this browser only: the browser asks first
    // (and the person stays, so the page is still here).
    const asked = new Promise<string>((resolve) => {
      pm.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
      setTimeout(() => resolve('no dialog'), 5_000);
    });
    await pm.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    expect(pm.isClosed()).toBe(false);

    // Reload while the server still cannot be reached. The page itself must load (there is no
    // service worker), so the network comes back for HTTP while the WebSocket stays refused.
    await net.set(true);
    await pm.context().setOffline(false);
    await pm.reload();
    await pm.locator('.doc-text', { hasText: line }).waitFor({ timeout: 10_000 });
    await statusOf(pm).filter({ hasText: /^Offline — \d+ changes? not yet saved$/ }).waitFor({ timeout: 10_000 });
    expect(await (await pm.request.get(`/api/v1/docs/${doc.id}/export.md`)).text()).not.toContain(line);
    await h.screenshot(pm, 'editor-offline-reloaded');

    // back online: the edit is sent, confirmed, and everyone else gets it
    // (socket.io gives up on the refused attempt after its 20 s connect timeout, then retries)
    await net.set(false);
    await waitSaved(pm, 45_000);
    await expect.poll(async () => (await pm.request.get(`/api/v1/docs/${doc.id}/export.md`)).text(), { timeout: 5_000 }).toContain(line);
    const partner = await person(h, 'partner@demo.tandem');
    await openDoc(partner, 'QA', doc);
    await partner.locator('.doc-text', { hasText: line }).waitFor({ timeout: 5_000 });

    // Everything saved: the tab closes without asking.
    let dialogs = 0;
    pm.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const closed = new Promise<void>((resolve) => pm.once('close', () => resolve()));
    await pm.close({ runBeforeUnload: true });
    await closed;
    expect(dialogs).toBe(0);
    await pm.context().close();
    await partner.context().close();
  });

  it('does not say Up to date when what was typed offline can no longer be saved (archived meanwhile)', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const created = await pm.request.post('/api/v1/programs/QA/docs', { data: { kind: 'plan', title: `Archived while offline ${Date.now()}` } });
    expect(created.status()).toBe(201);
    const doc = (await created.json()) as DocRef;
    const partner = await person(h, 'partner@demo.tandem');
    await openDoc(partner, 'QA', doc);
    await partner.locator('.doc-text[contenteditable="true"]').waitFor();
    await typeAtEnd(partner, 'Stored line.');
    await partner.locator('.doc-text', { hasText: 'Stored line.' }).waitFor();
    await waitSaved(partner);

    await partner.context().setOffline(true);
    await statusOf(partner).filter({ hasText: /^Offline/ }).waitFor({ timeout: 10_000 });
    await partner.keyboard.type(' Typed on the train.');
    await statusOf(partner).filter({ hasText: /not yet saved$/ }).waitFor();
    expect((await pm.request.post(`/api/v1/docs/${doc.id}/archive`)).status()).toBe(200);
    await partner.context().setOffline(false);

    // The connection comes back read-only: the edit is never sent, and the page says so.
    await partner.locator('.badge', { hasText: 'View only' }).waitFor({ timeout: 30_000 });
    await statusOf(partner).filter({ hasText: /^Read only — \d+ changes? not saved$/ }).waitFor({ timeout: 10_000 });
    await partner.getByRole('alert').filter({ hasText: 'Changes you made here were not saved' }).waitFor();
    expect(await statusOf(partner).textContent()).not.toBe('Up to date');
    expect(await (await pm.request.get(`/api/v1/docs/${doc.id}/export.md`)).text()).not.toContain('Typed on the train');
    await h.screenshot(partner, 'editor-archived-while-offline');
    await pm.context().close();
    await partner.context().close();
  });

  it('keeps what one person typed offline to that person: the next to sign in on the same browser neither sees nor sends it', async () => {
    const page = await person(h, 'pm@demo.tandem');
    const created = await page.request.post('/api/v1/programs/QA/docs', { data: { kind: 'plan', title: `Shared computer ${Date.now()}` } });
    const doc = (await created.json()) as DocRef;
    await openDoc(page, 'QA', doc);
    await page.locator('.doc-text[contenteditable="true"]').waitFor();
    await typeAtEnd(page, 'Agreed text.');
    await page.locator('.doc-text', { hasText: 'Agreed text.' }).waitFor();
    await waitSaved(page);
    await page.context().setOffline(true);
    await statusOf(page).filter({ hasText: /^Offline/ }).waitFor({ timeout: 10_000 });
    const stored = await storedUpdates(page, doc.id);
    await page.keyboard.type(' Private draft.');
    await statusOf(page).filter({ hasText: /not yet saved$/ }).waitFor();
    // Every keystroke is in the local copy before the page is left: IndexedDB writes are
    // asynchronous, and leaving at once (the test accepts the browser's question instantly) lost
    // the last few ("Private d") in one run of three.
    await expect.poll(() => storedUpdates(page, doc.id)).toBeGreaterThanOrEqual(stored + ' Private draft.'.length);
    // The PM leaves the page (the browser asks; they leave anyway), then signs out once online.
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto('about:blank');
    await page.context().setOffline(false);
    expect((await page.request.post('/api/v1/auth/logout')).status()).toBe(204);

    await signIn(page, 'partner@demo.tandem');
    await openDoc(page, 'QA', doc);
    await page.locator('.doc-text', { hasText: 'Agreed text.' }).waitFor();
    await waitSaved(page);
    expect(await editorOf(page).textContent()).not.toContain('Private draft');
    expect(await (await page.request.get(`/api/v1/docs/${doc.id}/export.md`)).text()).not.toContain('Private draft');

    // Back on the PM's account in this browser, the draft is still theirs to send.
    expect((await page.request.post('/api/v1/auth/logout')).status()).toBe(204);
    await signIn(page, 'pm@demo.tandem');
    await openDoc(page, 'QA', doc);
    await page.locator('.doc-text', { hasText: 'Private draft.' }).waitFor();
    await waitSaved(page);
    await expect.poll(async () => (await page.request.get(`/api/v1/docs/${doc.id}/export.md`)).text(), { timeout: 5_000 }).toContain('Private draft.');
    await page.context().close();
  });

  it('signing out in another tab ends the editing here, and says why', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const doc = await findDoc(pm, 'QA', 'QA rollout plan');
    await openDoc(pm, 'QA', doc);
    await waitSaved(pm);

    const otherTab = await pm.context().newPage();
    await otherTab.goto('/');
    await otherTab.getByRole('heading', { level: 1, name: 'Programs' }).waitFor();
    await otherTab.getByRole('button', { name: 'Sign out' }).click();
    await otherTab.waitForURL(/\/login/);

    await pm.getByRole('alert').filter({ hasText: 'Your session has ended. Sign in again to keep editing.' }).waitFor({ timeout: 5_000 });
    expect(await editorOf(pm).getAttribute('contenteditable')).toBe('false');
    await pm.context().close();
  });

  it('removed from the program while typing: says so, keeps the plan on screen read-only and offers the unsaved text', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    const created = await pm.request.post('/api/v1/programs/QA/docs', { data: { kind: 'plan', title: `Partner removed ${Date.now()}` } });
    expect(created.status()).toBe(201);
    const doc = (await created.json()) as DocRef;
    const partner = await person(h, 'partner@demo.tandem', { permissions: ['clipboard-read', 'clipboard-write'] });
    const { id: partnerId } = (await (await partner.request.get('/api/v1/auth/me')).json()) as { id: string };
    // The partner's edits stop reaching the server when the test says so (a connection that
    // stalls as they type): the editor's Yjs messages are single binary frames ("TDB1…", see
    // libs/collab-protocol/src/parser.ts); everything else, both ways, goes through.
    let stall = false;
    await partner.context().routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        if (stall && typeof message !== 'string' && message.subarray(0, 4).toString() === 'TDB1') return;
        server.send(message);
      });
    });
    try {
      await openDoc(partner, 'QA', doc);
      await partner.locator('.doc-text[contenteditable="true"]').waitFor();
      await typeAtEnd(partner, 'Saved line.');
      await partner.locator('.doc-text', { hasText: 'Saved line.' }).waitFor();
      await waitSaved(partner);

      stall = true;
      await typeAtEnd(partner, 'Typed as access went.');
      await statusOf(partner).filter({ hasText: /^Saving/ }).waitFor();
      expect((await pm.request.delete(`/api/v1/programs/QA/members/${partnerId}`)).status()).toBe(204);

      await partner.getByRole('alert').filter({ hasText: 'Your access to this document was removed.' }).waitFor({ timeout: 10_000 });
      // Long enough for the program's live refresh (debounced 300 ms) to have run and loaded.
      await partner.waitForTimeout(2_000);
      expect(await partner.getByRole('heading', { name: 'Program not found' }).count()).toBe(0);
      await partner.getByRole('heading', { level: 2, name: doc.title }).waitFor({ timeout: 1_000 });
      expect(await editorOf(partner).getAttribute('contenteditable')).toBe('false');
      expect(await editorOf(partner).textContent()).toContain('Typed as access went.');

      // What the server never confirmed is offered, and only that.
      const unsaved = partner.getByRole('region', { name: 'Text that was not saved' });
      expect(await unsaved.locator('textarea').inputValue()).toBe('Typed as access went.');
      await unsaved.getByRole('button', { name: 'Copy your unsaved text' }).click();
      await unsaved.getByText('Copied').waitFor();
      expect(await partner.evaluate(() => navigator.clipboard.readText())).toBe('Typed as access went.');
      expect(await (await pm.request.get(`/api/v1/docs/${doc.id}/export.md`)).text()).not.toContain('Typed as access went');
      await h.screenshot(partner, 'editor-access-removed');

      // A normal visit to the program now is the real 404.
      await partner.goto(`/programs/QA/docs/${doc.id}`);
      await partner.getByRole('heading', { level: 1, name: 'Program not found' }).waitFor();
    } finally {
      const back = await pm.request.post('/api/v1/programs/QA/members', { data: { userId: partnerId, role: 'editor' } });
      expect([201, 409]).toContain(back.status());
      await pm.context().close();
      await partner.context().close();
    }
  });

  it('lets viewers read but not type: leadership and a program viewer', async () => {
    const leader = await person(h, 'leader@demo.tandem');
    const doc = await findDoc(leader, 'QA', 'QA rollout plan');
    await openDoc(leader, 'QA', doc);
    await leader.locator('.badge', { hasText: 'View only' }).waitFor();
    await leader.locator('.save-status .text', { hasText: /^Up to date$/ }).waitFor();
    expect(await editorOf(leader).getAttribute('contenteditable')).toBe('false');
    expect(await leader.getByRole('group', { name: 'Formatting' }).count()).toBe(0);
    expect(await leader.getByRole('button', { name: /Save version|Restore/ }).count()).toBe(0);
    await leader.locator('.doc-text', { hasText: 'Why we are rolling out' }).waitFor();
    const before = await editorOf(leader).textContent();
    await editorOf(leader).click();
    await leader.keyboard.type('should not appear');
    expect(await editorOf(leader).textContent()).toBe(before);
    await h.screenshot(leader, 'editor-leader-view-only');
    // a second visit starts from the local copy: still nothing to save
    await leader.reload();
    await leader.locator('.doc-text', { hasText: 'Why we are rolling out' }).waitFor();
    await leader.locator('.save-status .text', { hasText: /^Up to date$/ }).waitFor();
    await leader.context().close();

    // a plan on VOU, where qa.lead is a viewer
    const pm = await person(h, 'pm@demo.tandem');
    const created = await pm.request.post('/api/v1/programs/VOU/docs', { data: { kind: 'plan', title: 'VOU pilot plan' } });
    expect(created.status()).toBe(201);
    const vou = (await created.json()) as DocRef;
    await pm.context().close();
    const viewer = await person(h, 'qa.lead@demo.tandem');
    await openDoc(viewer, 'VOU', vou);
    await viewer.locator('.badge', { hasText: 'View only' }).waitFor();
    expect(await editorOf(viewer).getAttribute('contenteditable')).toBe('false');
    expect(await viewer.getByRole('button', { name: 'New plan or retro' }).count()).toBe(0);
    await viewer.goto('/programs/VOU/docs');
    await viewer.getByRole('link', { name: 'VOU pilot plan' }).waitFor();
    expect(await viewer.getByRole('button', { name: /New plan or retro|Rename|Archive/ }).count()).toBe(0);
    await viewer.context().close();
  });

  it('saves a named version and restores it, live for a collaborator', async () => {
    const { pm, partner } = await bothOnThePlan();

    await pm.getByRole('button', { name: 'Version history' }).click();
    await pm.getByLabel('Name this version').fill('Before the risky paragraph');
    await pm.getByRole('button', { name: 'Save version' }).click();
    await pm.getByRole('listitem').filter({ hasText: 'Before the risky paragraph' }).waitFor();

    const risky = `Risky paragraph ${Date.now()}`;
    await typeAtEnd(pm, risky);
    await partner.locator('.doc-text', { hasText: risky }).waitFor();
    await waitSaved(pm);

    await pm.getByRole('button', { name: 'Preview Before the risky paragraph' }).click();
    const preview = pm.frameLocator('iframe[title^="Preview of the version"]');
    await preview.locator('body', { hasText: 'Why we are rolling out' }).waitFor();
    expect(await preview.locator('body').textContent()).not.toContain(risky);
    await h.screenshot(pm, 'editor-version-preview');

    await pm.getByRole('button', { name: 'Restore Before the risky paragraph' }).click();
    const dialog = pm.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Restore this version' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => editorOf(pm).textContent(), { timeout: 5_000 }).not.toContain(risky);
    await expect.poll(() => editorOf(partner).textContent(), { timeout: 5_000 }).not.toContain(risky);
    // the collaborator is told who restored what, not left wondering why the text changed
    const notice = partner.getByRole('status').filter({ hasText: 'restored version' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`Priya Manager restored version "Before the risky paragraph"`);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
    // ...and the one who restored is not told what they did twice
    expect(await pm.getByRole('status').filter({ hasText: 'restored version' }).count()).toBe(0);
    // the text before the restore was kept as a version
    await pm.getByRole('listitem').filter({ hasText: 'Before a restore' }).first().waitFor();
    await pm.context().close();
    await partner.context().close();
  });

  it('lists documents, creates a plan, renames it, archives it and brings it back with Undo', async () => {
    const pm = await person(h, 'pm@demo.tandem');
    await pm.goto('/programs/QA/docs');
    await pm.getByRole('heading', { level: 2, name: 'Plans and retros' }).waitFor();
    await pm.getByRole('link', { name: 'QA rollout plan' }).waitFor();
    await h.screenshot(pm, 'docs-list');

    await pm.getByRole('button', { name: 'New plan or retro' }).click();
    await pm.getByRole('button', { name: 'Create plan' }).click();
    await pm.getByText('Give it a title').waitFor();
    // the field that says what is wrong gets the focus, so typing goes there
    await expect.poll(() => pm.evaluate(() => document.activeElement?.id)).toBe('new-doc-title');
    await pm.getByLabel('Title').fill('Cutover plan');
    await pm.getByRole('button', { name: 'Create plan' }).click();
    await pm.waitForURL(/\/programs\/QA\/docs\/[0-9a-f-]{36}$/);
    const docUrl = new URL(pm.url()).pathname;
    await pm.getByRole('heading', { level: 2, name: 'Cutover plan' }).waitFor();
    await waitSaved(pm);
    await editorOf(pm).click();
    await pm.keyboard.type('Step one: freeze changes.');
    await waitSaved(pm);

    await pm.getByRole('link', { name: 'All plans and retros' }).click();
    await pm.getByRole('button', { name: 'Rename “Cutover plan”' }).click();
    await pm.getByLabel('New title for “Cutover plan”').fill('Cutover plan v2');
    await pm.keyboard.press('Enter');
    await pm.getByRole('link', { name: 'Cutover plan v2' }).waitFor();

    await pm.getByRole('button', { name: 'Archive “Cutover plan v2”' }).click();
    await pm.getByRole('link', { name: 'Cutover plan v2' }).waitFor({ state: 'detached' });
    await pm.getByRole('button', { name: 'Undo', exact: true }).click();
    await pm.getByRole('link', { name: 'Cutover plan v2' }).waitFor();

    // Archived for good: it still opens, read-only, with what it said.
    await pm.getByRole('button', { name: 'Archive “Cutover plan v2”' }).click();
    await pm.getByRole('link', { name: 'Cutover plan v2' }).waitFor({ state: 'detached' });
    await pm.goto(docUrl);
    await pm.getByText('This plan is archived: you can read it, not change it.').waitFor();
    await editorOf(pm).getByText('Step one: freeze changes.').waitFor();
    expect(await editorOf(pm).getAttribute('contenteditable')).toBe('false');
    await pm.context().close();
  });

  it('renders plans and retros on the server without a second copy of Yjs in the api process', async () => {
    // The api holds Yjs (its CommonJS build) for /collab; a page render that imported it again
    // (the ESM build) would make two copies whose instanceof checks fail on each other's objects.
    // Yjs says so on stderr when a second copy loads, which the harness keeps.
    const pm = await person(h, 'pm@demo.tandem');
    const created = await pm.request.post('/api/v1/programs/QA/docs', { data: { kind: 'retro', title: `SSR retro ${Date.now()}` } });
    expect(created.status()).toBe(201);
    const retro = (await created.json()) as DocRef;
    for (const doc of [await findDoc(pm, 'QA', 'QA rollout plan'), retro]) {
      // the HTML as the server renders it, then the page in the browser
      const html = await pm.request.get(`/programs/QA/docs/${doc.id}`);
      expect(html.status()).toBe(200);
      expect(await html.text()).toContain(doc.title);
      await openDoc(pm, 'QA', doc);
      await waitSaved(pm);
    }
    expect(h.apiOutput()).not.toContain('Yjs was already imported');
    await pm.context().close();
  });

  it('has no serious or critical axe violations on the list and the editor, and fits 375px in both themes', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const pm = await person(h, 'pm@demo.tandem', { colorScheme });
      await pm.goto('/programs/QA/docs');
      await pm.getByRole('link', { name: 'QA rollout plan' }).waitFor();
      const list = await seriousViolations(pm);
      const doc = await findDoc(pm, 'QA', 'QA rollout plan');
      await openDoc(pm, 'QA', doc);
      await waitSaved(pm);
      await pm.getByRole('button', { name: 'Version history' }).click();
      await pm.getByRole('heading', { name: 'Version history' }).waitFor();
      const editor = await seriousViolations(pm);
      await h.screenshot(pm, `editor-history-${colorScheme}`);
      expect({ list, editor }).toEqual({ list: [], editor: [] });
      await pm.context().close();

      const phone = await person(h, 'partner@demo.tandem', { colorScheme, viewport: { width: 375, height: 812 } });
      await openDoc(phone, 'QA', doc);
      await waitSaved(phone);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await h.screenshot(phone, `editor-375-${colorScheme}`);
      await phone.goto('/programs/QA/docs');
      await phone.getByRole('link', { name: 'QA rollout plan' }).waitFor();
      await h.screenshot(phone, `docs-list-375-${colorScheme}`);
      const listOverflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect({ overflow, listOverflow }).toEqual({ overflow: 0, listOverflow: 0 });
      await phone.context().close();
    }
  });
});
