import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness';
import { buildPerson, type Agent } from './helpers';

/**
 * An organisation never loses its last active admin, whatever admins do to each other at once.
 * Each admin may not demote or deactivate themselves, so one request alone cannot remove the last
 * admin; two admins taking each other out at the same moment could, until the api counted the
 * admins under a lock. Real: PostgreSQL (a database of this file's own, demo seed with one admin),
 * the whole Nest app, sessions and HTTP through Supertest. Nothing is mocked.
 */

let t: TestApp;
let admin: Agent;
let adminId: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.signIn('admin@demo.tandem');
  adminId = ((await admin.get('/api/v1/auth/me')).body as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await t?.close();
});

type Standing = { orgRole?: 'admin' | 'member' | 'viewer'; active?: boolean };

const activeAdmins = async (): Promise<string[]> => {
  const list = await admin.get('/api/v1/users?includeInactive=true&limit=200');
  return (list.body.items as { id: string; orgRole: string; active: boolean }[]).filter((u) => u.orgRole === 'admin' && u.active).map((u) => u.id);
};

/** Makes a second admin, signed in; the demo admin and they are then the only active admins. */
async function secondAdmin(): Promise<{ id: string; agent: Agent }> {
  expect(await activeAdmins()).toEqual([adminId]);
  const other = await buildPerson(admin, { orgRole: 'admin' });
  return { id: other.id, agent: await t.signIn(other.email, other.password) };
}

describe('the last active admin (real PostgreSQL)', () => {
  for (const [what, change] of [
    ['demote', { orgRole: 'member' }],
    ['deactivate', { active: false }],
    ['demote and deactivate', { orgRole: 'viewer', active: false }],
  ] as [string, Standing][]) {
    it(`keeps one when two admins ${what} each other at the same moment: one change is refused with 409 naming why`, async () => {
      const other = await secondAdmin();
      const [mine, theirs] = await Promise.all([
        admin.patch(`/api/v1/users/${other.id}`).send(change),
        other.agent.patch(`/api/v1/users/${adminId}`).send(change),
      ]);
      const statuses = [mine.status, theirs.status].sort();
      expect(statuses).toEqual([200, 409]);
      const refused = mine.status === 409 ? mine : theirs;
      expect(refused.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(refused.body.message).toMatch(/is the last active admin: make someone else an admin first/);
      const left = await activeAdmins();
      expect(left).toHaveLength(1);
      // whoever was refused is still an active admin, and puts things back
      if (theirs.status === 200) {
        expect((await other.agent.patch(`/api/v1/users/${adminId}`).send({ orgRole: 'admin', active: true })).status).toBe(200);
        admin = await t.signIn('admin@demo.tandem');
      }
      expect((await admin.patch(`/api/v1/users/${other.id}`).send({ orgRole: 'member', active: true })).status).toBe(200);
      expect(await activeAdmins()).toEqual([adminId]);
    });
  }

  it('lets an admin demote or deactivate another admin while one active admin remains, and change a deactivated admin freely', async () => {
    const other = await buildPerson(admin, { orgRole: 'admin' });
    expect((await admin.patch(`/api/v1/users/${other.id}`).send({ active: false })).status).toBe(200);
    // a deactivated admin manages nothing: demoting them takes no admin away
    const demoted = await admin.patch(`/api/v1/users/${other.id}`).send({ orgRole: 'viewer' });
    expect(demoted.status).toBe(200);
    expect(demoted.body).toMatchObject({ orgRole: 'viewer', active: false });
    expect((await admin.patch(`/api/v1/users/${other.id}`).send({ orgRole: 'admin', active: true })).status).toBe(200);
    const lowered = await admin.patch(`/api/v1/users/${other.id}`).send({ orgRole: 'member' });
    expect(lowered.status).toBe(200);
    expect(lowered.body).toMatchObject({ orgRole: 'member', active: true });
    expect(await activeAdmins()).toEqual([adminId]);
  });
});
