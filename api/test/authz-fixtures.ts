import type request from 'supertest';
import type { TestApp } from './harness';

type Agent = ReturnType<typeof request.agent>;

export const PERSONAS = ['anonymous', 'nonMember', 'programViewer', 'editor', 'owner', 'orgViewer', 'admin'] as const;
export type Persona = (typeof PERSONAS)[number];

/** Who may call a route: the expected status for each persona follows from this. */
export type Need = 'public' | 'signed-in' | 'admin' | 'creator' | 'read' | 'write' | 'manage';

export interface Call {
  params?: Record<string, string>;
  body?: unknown;
  query?: string;
  contentType?: string;
}

/** Expected outcome: 'ok' means any 2xx. */
export function expected(need: Need, persona: Persona): 'ok' | 401 | 403 | 404 {
  if (need === 'public') return 'ok';
  if (persona === 'anonymous') return 401;
  switch (need) {
    case 'signed-in':
      return 'ok';
    case 'admin':
      return persona === 'admin' ? 'ok' : 403;
    case 'creator':
      return persona === 'orgViewer' ? 403 : 'ok';
    case 'read':
      return persona === 'nonMember' ? 404 : 'ok';
    case 'write':
      return persona === 'nonMember' ? 404 : ['programViewer', 'orgViewer'].includes(persona) ? 403 : 'ok';
    case 'manage':
      return persona === 'nonMember' ? 404 : ['owner', 'admin'].includes(persona) ? 'ok' : 403;
  }
}

let counter = 0;
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase().slice(0, 10);

/**
 * A program of its own ("AZ…") with one person per program role, built through the API by its
 * owner; each `make*` makes a fresh child so destructive routes can run once per persona.
 */
export class AuthzFixture {
  programId = '';
  editorId = '';
  viewerId = '';
  agents = new Map<Persona, Agent>();

  constructor(private readonly t: TestApp) {}

  get owner(): Agent {
    return this.agents.get('owner')!;
  }

  async setUp(): Promise<void> {
    const admin = await this.t.signIn('admin@demo.tandem');
    const people: Record<string, string> = {};
    for (const role of ['editor', 'viewer']) {
      const email = `authz.${role}.${Date.now()}@example.test`;
      const res = await admin.post('/api/v1/users').send({ email, name: `Authz ${role}`, password: 'a-long-password', orgRole: 'member' });
      people[role] = res.body.id;
      this.agents.set(role === 'editor' ? 'editor' : 'programViewer', await this.t.signIn(email, 'a-long-password'));
    }
    this.editorId = people.editor!;
    this.viewerId = people.viewer!;
    this.agents.set('owner', await this.t.signIn('pm@demo.tandem'));
    this.agents.set('nonMember', await this.t.signIn('partner@demo.tandem'));
    this.agents.set('orgViewer', await this.t.signIn('leader@demo.tandem'));
    this.agents.set('admin', admin);
    const program = await this.owner.post('/api/v1/programs').send({ key: unique('AZ'), name: 'Authorization matrix program' });
    this.programId = program.body.id;
    await this.owner.post(`/api/v1/programs/${this.programId}/members`).send({ userId: this.editorId, role: 'editor' });
    await this.owner.post(`/api/v1/programs/${this.programId}/members`).send({ userId: this.viewerId, role: 'viewer' });
  }

  private async post(path: string, body: unknown): Promise<{ id: string } & Record<string, unknown>> {
    const res = await this.owner.post(path).send(body as object);
    if (res.status >= 300) throw new Error(`fixture ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async makeMilestone(): Promise<string> {
    return (await this.post(`/api/v1/programs/${this.programId}/milestones`, { title: 'Fixture milestone', startDate: '2026-01-01', dueDate: '2026-02-01' })).id;
  }

  async makeWave(): Promise<string> {
    return (await this.post(`/api/v1/programs/${this.programId}/waves`, { name: 'Fixture wave', plannedGoLive: '2026-03-01' })).id;
  }

  async makeChecklistItem(): Promise<string> {
    const wave = await this.makeWave();
    return (await this.post(`/api/v1/waves/${wave}/checklist`, { title: 'Fixture item', required: false })).id;
  }

  async makeTemplateItem(): Promise<string> {
    return (await this.post(`/api/v1/programs/${this.programId}/checklist-template`, { title: 'Fixture template item' })).id;
  }

  async makeRaciActivity(): Promise<string> {
    const res = await this.post(`/api/v1/programs/${this.programId}/raci/activities`, { activity: 'Fixture activity' });
    return (res.id ?? (res as { row?: { id: string } }).row?.id) as string;
  }

  async makeDoc(): Promise<string> {
    return (await this.post(`/api/v1/programs/${this.programId}/docs`, { kind: 'plan', title: 'Fixture plan' })).id;
  }

  async makeShareLink(): Promise<{ id: string; token: string }> {
    const res = await this.post(`/api/v1/programs/${this.programId}/share-links`, { expiresInDays: 7 });
    return { id: res.id, token: res.token as string };
  }

  async makePerson(): Promise<string> {
    const res = await this.agents.get('admin')!.post('/api/v1/users').send({ email: `authz.p.${unique('x')}@example.test`.toLowerCase(), name: 'Fixture person', password: 'a-long-password' });
    return res.body.id;
  }

  async makeMember(): Promise<string> {
    const id = await this.makePerson();
    await this.post(`/api/v1/programs/${this.programId}/members`, { userId: id, role: 'viewer' });
    return id;
  }
}
