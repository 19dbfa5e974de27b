import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, markActionItem, readBoard } from '@tandem/collab-protocol';
import { openApiDocument } from '../src/bootstrap';
import { RoomsService } from '../src/collab/rooms.service';
import { AuthzFixture, unique, type Call } from './authz-fixtures';
import { startTestApp, type TestApp } from './harness';

/**
 * An archived program is read-only through the api: every write route of the OpenAPI document,
 * called by the program's owner on an archived program, is 409 naming the program and changes
 * nothing in the database — except the few that stay possible while archived (archiving and
 * restoring, members, share links). A write route without an entry here fails the test, so a
 * new one cannot forget the rule.
 */
type Fx = AuthzFixture;

interface Children {
  milestone: string;
  milestone2: string;
  /** a milestone deleted before the program was archived */
  deletedMilestone: string;
  wave: string;
  item: string;
  templateItem: string;
  removedTemplateItem: string;
  raciRow: string;
  removedRaciRow: string;
  doc: string;
  archivedDoc: string;
  version: string;
  retro: string;
  card: string;
  dependency: [string, string];
}

type Entry =
  /** refused with 409 naming the program, and nothing written */
  | { archived: 'refused'; call: (fx: Fx, c: Children) => Promise<Call> | Call }
  /** still possible while archived (any 2xx) */
  | { archived: 'allowed'; call: (fx: Fx, c: Children) => Promise<Call> | Call }
  /** not a change to an existing program */
  | { archived: 'not-a-program-write' };

const CSV = { contentType: 'text/csv' };
const p = (fx: Fx, extra: Record<string, string> = {}, body?: unknown, rest: Partial<Call> = {}): Call => ({ params: { program: fx.programId, ...extra }, body, ...rest });

export const WRITE_ROUTES: Record<string, Entry> = {
  'POST /api/v1/auth/login': { archived: 'not-a-program-write' },
  'POST /api/v1/auth/logout': { archived: 'not-a-program-write' },
  'POST /api/v1/users': { archived: 'not-a-program-write' },
  'PATCH /api/v1/users/{id}': { archived: 'not-a-program-write' },
  'POST /api/v1/programs': { archived: 'not-a-program-write' },
  'POST /api/v1/programs/from-template': { archived: 'not-a-program-write' },
  'POST /api/v1/calendar/token': { archived: 'not-a-program-write' },
  'DELETE /api/v1/calendar/token': { archived: 'not-a-program-write' },
  'POST /api/v1/tokens': { archived: 'not-a-program-write' },
  'DELETE /api/v1/tokens/{id}': { archived: 'not-a-program-write' },

  'PATCH /api/v1/programs/{program}': { archived: 'refused', call: (fx) => p(fx, {}, { description: 'Changed while archived' }) },
  'POST /api/v1/programs/{program}/archive': { archived: 'allowed', call: (fx) => p(fx) },
  // restoring is tried on a program of its own (see below), not on the one the others need archived
  'POST /api/v1/programs/{program}/restore': { archived: 'allowed', call: async (fx) => ({ params: { program: await archivedProgram(fx) } }) },
  'POST /api/v1/programs/{program}/members': { archived: 'allowed', call: async (fx) => p(fx, {}, { userId: await fx.makePerson(), role: 'viewer' }) },
  'PATCH /api/v1/programs/{program}/members/{userId}': { archived: 'allowed', call: (fx) => p(fx, { userId: fx.viewerId }, { role: 'editor' }) },
  'DELETE /api/v1/programs/{program}/members/{userId}': { archived: 'allowed', call: (fx) => p(fx, { userId: fx.editorId }) },
  'POST /api/v1/programs/{program}/share-links': { archived: 'allowed', call: (fx) => p(fx, {}, { expiresInDays: 7 }) },
  'DELETE /api/v1/share-links/{id}': {
    archived: 'allowed',
    call: async (fx) => {
      const res = await fx.owner.post(`/api/v1/programs/${fx.programId}/share-links`).send({ expiresInDays: 7 });
      return { params: { id: res.body.id as string } };
    },
  },

  'POST /api/v1/programs/{program}/milestones': { archived: 'refused', call: (fx) => p(fx, {}, { title: 'While archived' }) },
  'POST /api/v1/programs/{program}/milestones/import': { archived: 'refused', call: (fx) => p(fx, {}, 'title\nImported while archived\n', CSV) },
  'PATCH /api/v1/milestones/{id}': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.milestone }, body: { status: 'done' } }) },
  'DELETE /api/v1/milestones/{id}': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.milestone2 } }) },
  'POST /api/v1/milestones/{id}/restore': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.deletedMilestone } }) },
  'PUT /api/v1/milestones/{id}/checklist-items': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.milestone }, body: { itemIds: [c.item] } }) },
  'POST /api/v1/programs/{program}/dependencies': { archived: 'refused', call: (fx, c) => p(fx, {}, { predecessorId: c.milestone2, successorId: c.milestone }) },
  'DELETE /api/v1/programs/{program}/dependencies/{predecessorId}/{successorId}': {
    archived: 'refused',
    call: (fx, c) => p(fx, { predecessorId: c.dependency[0], successorId: c.dependency[1] }),
  },
  'POST /api/v1/programs/{program}/baselines': { archived: 'refused', call: (fx) => p(fx, {}, { label: 'While archived' }) },
  'POST /api/v1/programs/{program}/raci/activities': { archived: 'refused', call: (fx) => p(fx, {}, { activity: 'While archived' }) },
  'PUT /api/v1/programs/{program}/raci/cells': { archived: 'refused', call: (fx, c) => p(fx, {}, { rowId: c.milestone, subject: { type: 'user', id: fx.viewerId }, letter: 'C' }) },
  'DELETE /api/v1/raci/rows/{rowId}': { archived: 'refused', call: (_fx, c) => ({ params: { rowId: c.raciRow } }) },
  'POST /api/v1/raci/rows/{rowId}/restore': { archived: 'refused', call: (_fx, c) => ({ params: { rowId: c.removedRaciRow } }) },
  'POST /api/v1/programs/{program}/checklist-template': { archived: 'refused', call: (fx) => p(fx, {}, { title: 'While archived' }) },
  'PATCH /api/v1/checklist-template/{itemId}': { archived: 'refused', call: (_fx, c) => ({ params: { itemId: c.templateItem }, body: { title: 'Changed' } }) },
  'DELETE /api/v1/checklist-template/{itemId}': { archived: 'refused', call: (_fx, c) => ({ params: { itemId: c.templateItem } }) },
  'POST /api/v1/checklist-template/{itemId}/restore': { archived: 'refused', call: (_fx, c) => ({ params: { itemId: c.removedTemplateItem } }) },
  'POST /api/v1/programs/{program}/waves': { archived: 'refused', call: (fx) => p(fx, {}, { name: 'While archived' }) },
  'PATCH /api/v1/waves/{id}': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.wave }, body: { status: 'live' } }) },
  'DELETE /api/v1/waves/{id}': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.wave } }) },
  'POST /api/v1/waves/{id}/checklist': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.wave }, body: { title: 'While archived' } }) },
  'POST /api/v1/waves/{id}/checklist/import': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.wave }, body: 'title\nImported while archived\n', ...CSV }) },
  'PATCH /api/v1/checklist-items/{id}': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.item }, body: { state: 'done' } }) },
  'DELETE /api/v1/checklist-items/{id}': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.item } }) },
  'POST /api/v1/programs/{program}/updates': { archived: 'refused', call: (fx) => p(fx, {}, { health: 'at_risk', narrative: 'While archived' }) },
  'POST /api/v1/programs/{program}/docs': { archived: 'refused', call: (fx) => p(fx, {}, { kind: 'plan', title: 'While archived' }) },
  'PATCH /api/v1/docs/{id}': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.doc }, body: { title: 'Renamed while archived' } }) },
  'POST /api/v1/docs/{id}/archive': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.doc } }) },
  'POST /api/v1/docs/{id}/restore': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.archivedDoc } }) },
  'POST /api/v1/docs/{id}/versions': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.doc }, body: { name: 'While archived' } }) },
  'POST /api/v1/docs/{id}/versions/{versionId}/restore': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.doc, versionId: c.version } }) },
  'POST /api/v1/docs/{id}/cards/{cardId}/convert': { archived: 'refused', call: (_fx, c) => ({ params: { id: c.retro, cardId: c.card }, body: { to: 'checklist_item', waveId: c.wave } }) },
};

let t: TestApp;

async function archivedProgram(fx: Fx): Promise<string> {
  const res = await fx.owner.post('/api/v1/programs').send({ key: unique('AR'), name: 'Archived throwaway' });
  await fx.owner.post(`/api/v1/programs/${res.body.id}/archive`);
  return res.body.id as string;
}

/** Everything a write could touch, as one comparable value: every row of every table but the sign-in ones. */
async function fingerprint(): Promise<Record<string, string>> {
  const conn = t.orm.em.fork().getConnection();
  const tables = await conn.execute<{ name: string }[]>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
     and table_name not in ('session', 'api_token', 'calendar_token', 'mikro_orm_migrations') order by 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await conn.execute<{ digest: string }[]>(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${name}" t`);
    out[name] = row!.digest;
  }
  return out;
}

const changedTables = (before: Record<string, string>, after: Record<string, string>) => Object.keys(after).filter((k) => before[k] !== after[k]);

function writeRoutes(app: TestApp): string[] {
  const doc = openApiDocument(app.app);
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((method) => method !== 'get' && method !== 'head' && method !== 'options')
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('an archived program through every write route', () => {
  let fx: Fx;
  let children: Children;
  let key = '';

  beforeAll(async () => {
    t = await startTestApp();
    fx = new AuthzFixture(t);
    await fx.setUp();
    const owner = fx.owner;
    const base = `/api/v1/programs/${fx.programId}`;
    const ok = async (res: Promise<{ status: number; body: Record<string, unknown> }>) => {
      const r = await res;
      if (r.status >= 300) throw new Error(`fixture: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as Record<string, unknown> & { id: string };
    };
    const milestone = await fx.makeMilestone();
    const milestone2 = await fx.makeMilestone();
    const deletedMilestone = await fx.makeMilestone();
    await ok(owner.delete(`/api/v1/milestones/${deletedMilestone}`));
    const dependency: [string, string] = [await fx.makeMilestone(), await fx.makeMilestone()];
    await ok(owner.post(`${base}/dependencies`).send({ predecessorId: dependency[0], successorId: dependency[1] }));
    const wave = await fx.makeWave();
    const item = (await ok(owner.post(`/api/v1/waves/${wave}/checklist`).send({ title: 'Fixture item' }))).id;
    const doc = await fx.makeDoc();
    const version = (await ok(owner.post(`/api/v1/docs/${doc}/versions`).send({ name: 'Fixture version' }))).id;
    const archivedDoc = await fx.makeDoc();
    await ok(owner.post(`/api/v1/docs/${archivedDoc}/archive`));
    const removedTemplateItem = await fx.makeTemplateItem();
    await ok(owner.delete(`/api/v1/checklist-template/${removedTemplateItem}`));
    const removedRaciRow = await fx.makeRaciActivity();
    await ok(owner.delete(`/api/v1/raci/rows/${removedRaciRow}`));
    const retro = (await ok(owner.post(`${base}/docs`).send({ kind: 'retro', title: 'Fixture retro' }))).id;
    let card = '';
    await t.app.get(RoomsService).edit(retro, (ydoc) => {
      card = addCard(ydoc, { columnId: readBoard(ydoc).columns[0]!.id, text: 'Add macros for refunds', authorId: fx.editorId });
      markActionItem(ydoc, card);
    });
    children = { milestone, milestone2, deletedMilestone, wave, item, templateItem: await fx.makeTemplateItem(), removedTemplateItem, raciRow: await fx.makeRaciActivity(), removedRaciRow, doc, archivedDoc, version, retro, card, dependency };
    key = String((await ok(owner.post(`${base}/archive`))).key);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has an entry for every write route the router serves, and no stale ones', () => {
    const served = writeRoutes(t);
    expect(served.filter((r) => !(r in WRITE_ROUTES))).toEqual([]);
    expect(Object.keys(WRITE_ROUTES).filter((r) => !served.includes(r))).toEqual([]);
  });

  it('refuses every change with 409 naming the program and writes nothing, but for the changes that stay possible', { timeout: 120_000 }, async () => {
    const mismatches: string[] = [];
    // the refused ones first, on the same children; then the allowed ones, which do change things
    const routes = writeRoutes(t).sort((a, b) => Number(WRITE_ROUTES[a]?.archived === 'allowed') - Number(WRITE_ROUTES[b]?.archived === 'allowed'));
    for (const route of routes) {
      const entry = WRITE_ROUTES[route];
      if (!entry || entry.archived === 'not-a-program-write') continue;
      const call = await entry.call(fx, children);
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => call.params?.[name] ?? `missing-${name}`) + (call.query ? `?${call.query}` : '');
      let req = fx.owner[method.toLowerCase() as 'post'](url);
      if (call.contentType) req = req.set('content-type', call.contentType);
      const before = entry.archived === 'refused' ? await fingerprint() : null;
      const res = call.body === undefined ? await req : await req.send(call.body as object);
      if (entry.archived === 'allowed') {
        if (res.status < 200 || res.status >= 300) mismatches.push(`${route}: expected 2xx while archived, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        continue;
      }
      const message = `${key} is archived: restore the program to change it`;
      if (res.status !== 409 || res.body.message !== message) mismatches.push(`${route}: expected 409 "${message}", got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      const changed = changedTables(before!, await fingerprint());
      if (changed.length) mismatches.push(`${route}: refused, but wrote to ${changed.join(', ')}`);
    }
    expect(mismatches).toEqual([]);
  });
});
