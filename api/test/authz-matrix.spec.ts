import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, markActionItem, readBoard } from '@tandem/collab-protocol';
import { openApiDocument } from '../src/bootstrap';
import { RoomsService } from '../src/collab/rooms.service';
import { AuthzFixture, PERSONAS, expected, unique, type Call, type Need, type Persona } from './authz-fixtures';
import { startTestApp, type TestApp } from './harness';

/**
 * The authorization matrix, generated from the router: every route in the OpenAPI document ×
 * (anonymous, non-member, program viewer, editor, owner, org viewer, admin) → the status the
 * access rules say. A route without an entry here fails the test, so a new route cannot ship
 * without someone deciding who may call it. Real: the whole app, PostgreSQL, sessions.
 */
type Fx = AuthzFixture;
interface Entry {
  need: Need;
  call?: (fx: Fx, persona: Persona) => Promise<Call>;
  /** what a public route answers in this app when that is not a 2xx for a reason other than access */
  answers?: number;
}

const p = (fx: Fx, extra: Record<string, string> = {}, body?: unknown, rest: Partial<Call> = {}): Call => ({ params: { program: fx.programId, ...extra }, body, ...rest });
let shared: { milestone: string; wave: string; item: string; templateItem: string; doc: string } | null = null;
async function once(fx: Fx) {
  shared ??= { milestone: await fx.makeMilestone(), wave: await fx.makeWave(), item: await fx.makeChecklistItem(), templateItem: await fx.makeTemplateItem(), doc: await fx.makeDoc() };
  return shared;
}

/** A throwaway program with the same members, for routes that archive or restore. */
async function freshProgram(fx: Fx, archived = false): Promise<Call> {
  const res = await fx.owner.post('/api/v1/programs').send({ key: unique('AX'), name: 'Throwaway program' });
  const id = res.body.id as string;
  await fx.owner.post(`/api/v1/programs/${id}/members`).send({ userId: fx.editorId, role: 'editor' });
  await fx.owner.post(`/api/v1/programs/${id}/members`).send({ userId: fx.viewerId, role: 'viewer' });
  if (archived) await fx.owner.post(`/api/v1/programs/${id}/archive`);
  return { params: { program: id } };
}

const CSV = { contentType: 'text/csv', query: 'dryRun=true' };

export const ROUTES: Record<string, Entry> = {
  'POST /api/v1/auth/login': { need: 'public', call: async () => ({ body: { email: 'pm@demo.tandem', password: 'demo-password' } }) },
  'POST /api/v1/auth/logout': { need: 'public' },
  'GET /api/v1/auth/me': { need: 'signed-in' },
  'GET /api/v1/auth/providers': { need: 'public' },
  // Single sign-on is off in this app (oidc.spec.ts runs it against a real provider): not configured is 404, for everyone.
  'GET /api/v1/auth/oidc/start': { need: 'public', answers: 404, call: async () => ({ query: 'returnTo=%2Fprograms' }) },
  'GET /api/v1/auth/oidc/callback': { need: 'public', answers: 404, call: async () => ({ query: 'state=s&code=c' }) },
  'GET /health/live': { need: 'public' },
  'GET /health/ready': { need: 'public' },
  'GET /api/v1/users': { need: 'signed-in' },
  'POST /api/v1/users': { need: 'admin', call: async () => ({ body: { email: `authz.new.${unique('u')}@example.test`.toLowerCase(), name: 'New', password: 'a-long-password' } }) },
  'GET /api/v1/users/{id}': { need: 'signed-in', call: async (fx) => ({ params: { id: fx.editorId } }) },
  'GET /api/v1/users/{id}/deactivation': { need: 'admin', call: async (fx) => ({ params: { id: fx.editorId } }) },
  'PATCH /api/v1/users/{id}': { need: 'admin', call: async (fx) => ({ params: { id: await fx.makePerson() }, body: { name: 'Renamed' } }) },
  'GET /api/v1/teams': { need: 'signed-in' },
  'GET /api/v1/templates': { need: 'signed-in' },
  'GET /api/v1/portfolio': { need: 'signed-in' },
  'GET /api/v1/programs': { need: 'signed-in' },
  'POST /api/v1/programs': { need: 'creator', call: async () => ({ body: { key: unique('C'), name: 'Created' } }) },
  'POST /api/v1/programs/from-template': {
    need: 'creator',
    call: async (fx) => {
      const templates = await fx.owner.get('/api/v1/templates');
      return { body: { templateId: templates.body.items[0].id, key: unique('T'), name: 'From template', startDate: '2026-01-05' } };
    },
  },
  'GET /api/v1/programs/{program}': { need: 'read', call: async (fx) => p(fx) },
  'PATCH /api/v1/programs/{program}': { need: 'manage', call: async (fx) => p(fx, {}, { description: 'Changed' }) },
  'POST /api/v1/programs/{program}/archive': { need: 'manage', call: (fx) => freshProgram(fx) },
  'POST /api/v1/programs/{program}/restore': { need: 'manage', call: (fx) => freshProgram(fx, true) },
  'GET /api/v1/programs/{program}/activity': { need: 'read', call: async (fx) => p(fx) },
  'GET /api/v1/programs/{program}/members': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/members': { need: 'manage', call: async (fx) => p(fx, {}, { userId: await fx.makePerson(), role: 'viewer' }) },
  'PATCH /api/v1/programs/{program}/members/{userId}': { need: 'manage', call: async (fx) => p(fx, { userId: await fx.makeMember() }, { role: 'editor' }) },
  'DELETE /api/v1/programs/{program}/members/{userId}': { need: 'manage', call: async (fx) => p(fx, { userId: await fx.makeMember() }) },
  'GET /api/v1/programs/{program}/milestones': { need: 'read', call: async (fx) => p(fx) },
  'GET /api/v1/programs/{program}/deleted-milestones': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/milestones': { need: 'write', call: async (fx) => p(fx, {}, { title: 'New milestone' }) },
  'GET /api/v1/programs/{program}/milestones.csv': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/milestones/import': { need: 'write', call: async (fx) => p(fx, {}, 'title\nImported milestone\n', CSV) },
  'GET /api/v1/milestones/{id}': { need: 'read', call: async (fx) => ({ params: { id: (await once(fx)).milestone } }) },
  'PATCH /api/v1/milestones/{id}': { need: 'write', call: async (fx) => ({ params: { id: (await once(fx)).milestone }, body: { description: 'Changed' } }) },
  'DELETE /api/v1/milestones/{id}': { need: 'write', call: async (fx) => ({ params: { id: await fx.makeMilestone() } }) },
  'POST /api/v1/milestones/{id}/restore': {
    need: 'write',
    call: async (fx) => {
      const id = await fx.makeMilestone();
      await fx.owner.delete(`/api/v1/milestones/${id}`).expect(204);
      return { params: { id } };
    },
  },
  'PUT /api/v1/milestones/{id}/checklist-items': { need: 'write', call: async (fx) => ({ params: { id: (await once(fx)).milestone }, body: { itemIds: [] } }) },
  'GET /api/v1/programs/{program}/dependencies': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/dependencies': { need: 'write', call: async (fx) => p(fx, {}, { predecessorId: await fx.makeMilestone(), successorId: await fx.makeMilestone() }) },
  'DELETE /api/v1/programs/{program}/dependencies/{predecessorId}/{successorId}': {
    need: 'write',
    call: async (fx) => {
      const [a, b] = [await fx.makeMilestone(), await fx.makeMilestone()];
      await fx.owner.post(`/api/v1/programs/${fx.programId}/dependencies`).send({ predecessorId: a, successorId: b });
      return p(fx, { predecessorId: a, successorId: b });
    },
  },
  'POST /api/v1/programs/{program}/baselines': { need: 'manage', call: async (fx) => p(fx, {}, {}) },
  'GET /api/v1/programs/{program}/baselines': { need: 'read', call: async (fx) => p(fx) },
  'GET /api/v1/programs/{program}/raci': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/raci/activities': { need: 'write', call: async (fx) => p(fx, {}, { activity: 'New activity' }) },
  'PUT /api/v1/programs/{program}/raci/cells': { need: 'write', call: async (fx) => p(fx, {}, { rowId: await fx.makeRaciActivity(), subject: { type: 'user', id: fx.editorId }, letter: 'R' }) },
  'DELETE /api/v1/raci/rows/{rowId}': { need: 'write', call: async (fx) => ({ params: { rowId: await fx.makeRaciActivity() } }) },
  'POST /api/v1/raci/rows/{rowId}/restore': {
    need: 'write',
    call: async (fx) => {
      const rowId = await fx.makeRaciActivity();
      await fx.owner.delete(`/api/v1/raci/rows/${rowId}`);
      return { params: { rowId } };
    },
  },
  'GET /api/v1/raci/people/{userId}': { need: 'signed-in', call: async () => ({ params: { userId: 'me' } }) },
  'GET /api/v1/programs/{program}/checklist-template': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/checklist-template': { need: 'manage', call: async (fx) => p(fx, {}, { title: 'Template item' }) },
  'PATCH /api/v1/checklist-template/{itemId}': { need: 'manage', call: async (fx) => ({ params: { itemId: (await once(fx)).templateItem }, body: { title: 'Changed' } }) },
  'DELETE /api/v1/checklist-template/{itemId}': { need: 'manage', call: async (fx) => ({ params: { itemId: await fx.makeTemplateItem() } }) },
  'POST /api/v1/checklist-template/{itemId}/restore': {
    need: 'manage',
    call: async (fx) => {
      const itemId = await fx.makeTemplateItem();
      await fx.owner.delete(`/api/v1/checklist-template/${itemId}`);
      return { params: { itemId } };
    },
  },
  'GET /api/v1/programs/{program}/waves': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/waves': { need: 'write', call: async (fx) => p(fx, {}, { name: 'New wave' }) },
  'GET /api/v1/programs/{program}/rollout-grid': { need: 'read', call: async (fx) => p(fx) },
  'GET /api/v1/waves/{id}': { need: 'read', call: async (fx) => ({ params: { id: (await once(fx)).wave } }) },
  'PATCH /api/v1/waves/{id}': { need: 'write', call: async (fx) => ({ params: { id: (await once(fx)).wave }, body: { scope: ['Lisbon'] } }) },
  'DELETE /api/v1/waves/{id}': { need: 'write', call: async (fx) => ({ params: { id: await fx.makeWave() } }) },
  'GET /api/v1/waves/{id}/checklist': { need: 'read', call: async (fx) => ({ params: { id: (await once(fx)).wave } }) },
  'POST /api/v1/waves/{id}/checklist': { need: 'write', call: async (fx) => ({ params: { id: (await once(fx)).wave }, body: { title: 'New item' } }) },
  'GET /api/v1/waves/{id}/checklist.csv': { need: 'read', call: async (fx) => ({ params: { id: (await once(fx)).wave } }) },
  'POST /api/v1/waves/{id}/checklist/import': { need: 'write', call: async (fx) => ({ params: { id: (await once(fx)).wave }, body: 'title\nImported item\n', ...CSV }) },
  'GET /api/v1/checklist-items/{id}': { need: 'read', call: async (fx) => ({ params: { id: (await once(fx)).item } }) },
  'PATCH /api/v1/checklist-items/{id}': { need: 'write', call: async (fx) => ({ params: { id: (await once(fx)).item }, body: { state: 'done' } }) },
  'DELETE /api/v1/checklist-items/{id}': { need: 'write', call: async (fx) => ({ params: { id: await fx.makeChecklistItem() } }) },
  'GET /api/v1/programs/{program}/updates': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/updates': { need: 'write', call: async (fx) => p(fx, {}, { health: 'on_track', narrative: 'All good' }) },
  'GET /api/v1/programs/{program}/signals': { need: 'read', call: async (fx) => p(fx) },
  'GET /api/v1/programs/{program}/report': { need: 'read', call: async (fx) => p(fx) },
  'GET /api/v1/programs/{program}/report.md': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/share-links': { need: 'manage', call: async (fx) => p(fx, {}, {}) },
  'GET /api/v1/programs/{program}/share-links': { need: 'manage', call: async (fx) => p(fx) },
  'DELETE /api/v1/share-links/{id}': { need: 'manage', call: async (fx) => ({ params: { id: (await fx.makeShareLink()).id } }) },
  'GET /api/v1/shared/{token}/report': { need: 'public', call: async (fx) => ({ params: { token: (await fx.makeShareLink()).token } }) },
  'GET /api/v1/shared/{token}/report.md': { need: 'public', call: async (fx) => ({ params: { token: (await fx.makeShareLink()).token } }) },
  'GET /api/v1/calendar/token': { need: 'signed-in' },
  'POST /api/v1/calendar/token': { need: 'signed-in' },
  'DELETE /api/v1/calendar/token': { need: 'signed-in' },
  'GET /api/v1/calendar/{file}': {
    need: 'public',
    call: async (fx) => {
      const res = await fx.owner.post('/api/v1/calendar/token');
      return { params: { file: String(res.body.url).split('/').pop()! } };
    },
  },
  'GET /api/v1/programs/{program}/docs': { need: 'read', call: async (fx) => p(fx) },
  'POST /api/v1/programs/{program}/docs': { need: 'write', call: async (fx) => p(fx, {}, { kind: 'plan', title: 'New plan' }) },
  'GET /api/v1/docs/{id}': { need: 'read', call: async (fx) => ({ params: { id: (await once(fx)).doc } }) },
  'PATCH /api/v1/docs/{id}': { need: 'write', call: async (fx) => ({ params: { id: (await once(fx)).doc }, body: { title: 'Renamed plan' } }) },
  'POST /api/v1/docs/{id}/archive': { need: 'write', call: async (fx) => ({ params: { id: await fx.makeDoc() } }) },
  'POST /api/v1/docs/{id}/restore': {
    need: 'write',
    call: async (fx) => {
      const id = await fx.makeDoc();
      await fx.owner.post(`/api/v1/docs/${id}/archive`);
      return { params: { id } };
    },
  },
  'GET /api/v1/docs/{id}/export.md': { need: 'read', call: async (fx) => ({ params: { id: (await once(fx)).doc } }) },
  'GET /api/v1/docs/{id}/export.html': { need: 'read', call: async (fx) => ({ params: { id: (await once(fx)).doc } }) },
  'GET /api/v1/docs/{id}/versions': { need: 'read', call: async (fx) => ({ params: { id: (await once(fx)).doc } }) },
  'POST /api/v1/docs/{id}/versions': { need: 'write', call: async (fx) => ({ params: { id: (await once(fx)).doc }, body: { name: 'Before the review' } }) },
  'GET /api/v1/docs/{id}/versions/{versionId}': { need: 'read', call: version },
  'POST /api/v1/docs/{id}/versions/{versionId}/restore': { need: 'write', call: version },
  'POST /api/v1/docs/{id}/cards/{cardId}/convert': { need: 'write', call: actionItem },
  'POST /api/v1/tokens': { need: 'signed-in', call: async () => ({ body: { name: 'Authz matrix', scope: 'read' } }) },
  'GET /api/v1/tokens': { need: 'signed-in' },
  'DELETE /api/v1/tokens/{id}': {
    need: 'signed-in',
    // Each persona revokes a token of its own (anyone else's is 404, like a missing one).
    call: async (fx, persona) => {
      const agent = fx.agents.get(persona);
      if (!agent) return { params: { id: '00000000-0000-4000-8000-000000000000' } };
      const res = await agent.post('/api/v1/tokens').send({ name: 'To revoke', scope: 'read' });
      return { params: { id: res.body.id as string } };
    },
  },
};

let app: TestApp;

/** A retro with one action item card, made by the server itself (as a client's edit would be). */
async function actionItem(fx: Fx): Promise<Call> {
  const res = await fx.owner.post(`/api/v1/programs/${fx.programId}/docs`).send({ kind: 'retro', title: 'Fixture retro' });
  const docId = res.body.id as string;
  let cardId = '';
  await app.app.get(RoomsService).edit(docId, (doc) => {
    const column = readBoard(doc).columns[0]!.id;
    cardId = addCard(doc, { columnId: column, text: 'Add macros for refunds', authorId: fx.editorId });
    markActionItem(doc, cardId);
  });
  return { params: { id: docId, cardId }, body: { to: 'milestone' } };
}

async function version(fx: Fx): Promise<Call> {
  const doc = (await once(fx)).doc;
  const res = await fx.owner.post(`/api/v1/docs/${doc}/versions`).send({ name: 'Fixture version' });
  return { params: { id: doc, versionId: res.body.id } };
}

function routesOf(t: TestApp): string[] {
  const doc = openApiDocument(t.app);
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
}

describe('authorization matrix (every route × every persona)', () => {
  let t: TestApp;
  let fx: AuthzFixture;
  beforeAll(async () => {
    t = await startTestApp();
    app = t;
    fx = new AuthzFixture(t);
    await fx.setUp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has an entry for every route the router serves, and no stale ones', () => {
    const served = routesOf(t);
    expect(served.filter((r) => !(r in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !served.includes(r))).toEqual([]);
  });

  it('answers each persona as the access rules say', { timeout: 240_000 }, async () => {
    const mismatches: string[] = [];
    for (const route of routesOf(t)) {
      const entry = ROUTES[route];
      if (!entry) continue;
      const [method, path] = route.split(' ') as [string, string];
      const personas = entry.need === 'public' ? (['anonymous'] as const) : PERSONAS;
      for (const persona of personas) {
        const call = (await entry.call?.(fx, persona)) ?? {};
        const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => call.params?.[name] ?? `missing-${name}`) + (call.query ? `?${call.query}` : '');
        const agent = persona === 'anonymous' ? t.http() : fx.agents.get(persona)!;
        let req = agent[method.toLowerCase() as 'get'](url);
        if (call.contentType) req = req.set('content-type', call.contentType);
        const res = call.body === undefined ? await req : await req.send(call.body as object);
        const want = entry.answers ?? expected(entry.need, persona);
        const ok = want === 'ok' ? res.status >= 200 && res.status < 300 : res.status === want;
        if (!ok) mismatches.push(`${route} as ${persona}: expected ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
