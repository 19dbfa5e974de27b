import { connectCollab, connectLive, CollabProvider, type CollabSocket, type RefusalReason } from '@tandem/collab-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startCollabApp, storedDoc, waitFor, type CollabTestApp } from './collab-harness';
import { buildPerson, type Agent } from './helpers';

/**
 * Personal API tokens. Real: the whole app on PostgreSQL listening on a port, Supertest and
 * fetch for REST, socket.io clients with the real provider for /collab.
 */
interface Created {
  id: string;
  name: string;
  scope: 'read' | 'write';
  token: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

describe('personal API tokens', () => {
  let t: CollabTestApp;
  let pm: Agent;
  let qa = '';
  beforeAll(async () => {
    t = await startCollabApp();
    pm = await t.signIn('pm@demo.tandem');
    qa = (await pm.get('/api/v1/programs/QA')).body.id as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  const make = async (agent: Agent, body: Record<string, unknown>): Promise<Created> => {
    const res = await agent.post('/api/v1/tokens').send(body);
    expect(res.status).toBe(201);
    return res.body as Created;
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('is shown once, as tdm_…, stored only as a hash, and listed without its secret', async () => {
    const created = await make(pm, { name: 'Nightly export', scope: 'read', expiresInDays: 30 });
    expect(created.token).toMatch(/^tdm_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'Nightly export', scope: 'read', lastUsedAt: null });
    expect(Date.parse(created.expiresAt ?? '') - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const rows = await t.orm.em.getConnection().execute<{ token_hash: string }[]>('select token_hash from api_token where id = ?', [created.id]);
    expect(rows[0]?.token_hash).toBeTypeOf('string');
    expect(rows[0]?.token_hash).not.toContain(created.token.slice(4));
    const list = await pm.get('/api/v1/tokens');
    expect(list.status).toBe(200);
    const listed = (list.body.items as Created[]).find((i) => i.id === created.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('token');
    expect(JSON.stringify(list.body)).not.toContain(created.token);
  });

  it('validates the request', async () => {
    const res = await pm.post('/api/v1/tokens').send({ name: '', scope: 'admin', extra: 1 });
    expect(res.status).toBe(400);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['extra', 'name', 'scope']);
  });

  it('gives leadership (org viewer) read tokens only: a write token is a 400 on scope', async () => {
    const leader = await t.signIn('leader@demo.tandem');
    const res = await leader.post('/api/v1/tokens').send({ name: 'Board pack', scope: 'write' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'scope', reason: 'can only be read: a leadership account reads everything and changes nothing' }]);
    expect((await leader.get('/api/v1/tokens')).body.items).toEqual([]);
    expect((await make(leader, { name: 'Board pack', scope: 'read' })).scope).toBe('read');
  });

  it('keeps to 50 tokens a person even when they are asked for at once (409 for the rest)', async () => {
    const admin = await t.signIn('admin@demo.tandem');
    const person = await buildPerson(admin);
    const agent = await t.signIn(person.email, person.password);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => agent.post('/api/v1/tokens').send({ name: `Burst ${i}`, scope: 'read' })));
    const statuses = answers.map((r) => r.status).sort();
    expect({ made: statuses.filter((s) => s === 201).length, refused: statuses.filter((s) => s === 409).length }).toEqual({ made: 50, refused: 10 });
    expect((await agent.get('/api/v1/tokens')).body.items).toHaveLength(50);
  });

  it('read scope: reads, and gets 403 on any write', async () => {
    const { token } = await make(pm, { name: 'reader', scope: 'read' });
    const programs = await t.http().get('/api/v1/programs').set(bearer(token));
    expect(programs.status).toBe(200);
    expect((await t.http().get('/api/v1/auth/me').set(bearer(token))).body.email).toBe('pm@demo.tandem');
    const write = await t.http().post('/api/v1/programs').set(bearer(token)).send({ key: 'RTOK', name: 'Read token' });
    expect(write.status).toBe(403);
    expect(write.body.message).toBe('This API token is read-only');
    expect((await t.http().patch(`/api/v1/programs/${qa}`).set(bearer(token)).send({ description: 'x' })).status).toBe(403);
    const used = ((await pm.get('/api/v1/tokens')).body.items as Created[]).find((i) => i.name === 'reader');
    expect(used?.lastUsedAt).not.toBeNull();
  });

  it('write scope: writes as its owner, within the owner\'s access', async () => {
    const { token } = await make(pm, { name: 'writer', scope: 'write' });
    const created = await t.http().post('/api/v1/programs').set(bearer(token)).send({ key: 'WTOK', name: 'Write token' });
    expect(created.status).toBe(201);
    expect(created.body.owner.email).toBe('pm@demo.tandem');
    // A token is no more than its owner: the admin area stays closed.
    expect((await t.http().post('/api/v1/users').set(bearer(token)).send({ email: 'x@example.test', name: 'X', password: 'a-long-password' })).status).toBe(403);
  });

  it('cannot manage tokens; only a signed-in session can', async () => {
    const { token } = await make(pm, { name: 'no minting', scope: 'write' });
    expect((await t.http().post('/api/v1/tokens').set(bearer(token)).send({ name: 'more', scope: 'write' })).status).toBe(403);
    expect((await t.http().get('/api/v1/tokens').set(bearer(token))).status).toBe(403);
  });

  it('is judged alone: a bad bearer token is 401 even with a valid session cookie', async () => {
    expect((await pm.get('/api/v1/programs').set('Authorization', 'Bearer tdm_nope')).status).toBe(401);
    expect((await t.http().get('/api/v1/programs').set('Authorization', `Bearer tdm_${'x'.repeat(43)}`)).status).toBe(401);
  });

  it('stops working when revoked, expired, or its owner is deactivated; nobody else can revoke it', async () => {
    const revoked = await make(pm, { name: 'to revoke', scope: 'read' });
    const admin = await t.signIn('admin@demo.tandem');
    expect((await admin.delete(`/api/v1/tokens/${revoked.id}`)).status).toBe(404);
    expect((await t.http().get('/api/v1/programs').set(bearer(revoked.token))).status).toBe(200);
    expect((await pm.delete(`/api/v1/tokens/${revoked.id}`)).status).toBe(204);
    expect((await t.http().get('/api/v1/programs').set(bearer(revoked.token))).status).toBe(401);
    expect((await pm.delete(`/api/v1/tokens/${revoked.id}`)).status).toBe(404);

    const expired = await make(pm, { name: 'short', scope: 'read', expiresInDays: 1 });
    await t.orm.em.getConnection().execute(`update api_token set expires_at = now() - interval '1 minute' where id = ?`, [expired.id]);
    expect((await t.http().get('/api/v1/programs').set(bearer(expired.token))).status).toBe(401);

    const person = await buildPerson(admin);
    const theirs = await t.signIn(person.email, person.password);
    const token = (await make(theirs, { name: 'mine', scope: 'write' })).token;
    expect((await t.http().get('/api/v1/auth/me').set(bearer(token))).status).toBe(200);
    expect((await admin.patch(`/api/v1/users/${person.id}`).send({ active: false })).status).toBe(200);
    expect((await t.http().get('/api/v1/auth/me').set(bearer(token))).status).toBe(401);
    const left = await t.orm.em.getConnection().execute<{ n: string }[]>('select count(*) as n from api_token where user_id = ?', [person.id]);
    expect(Number(left[0]?.n)).toBe(0);
  });

  describe('on /collab (auth.token in the handshake)', () => {
    const open = (token: string, docId: string, doc = new Y.Doc()) => {
      const socket = connectCollab(t.origin, { token, reconnection: false }) as CollabSocket;
      const provider = new CollabProvider({ socket, docId, doc, retryDelayMs: 50 });
      const closing: RefusalReason[] = [];
      socket.on('closing', (reason) => closing.push(reason));
      return { socket, provider, doc, closing, close: () => (provider.destroy(), socket.disconnect()) };
    };

    it('a read token gets a read-only connection; a write token edits, and every saved edit is stored', async () => {
      const docId = await t.createDoc('pm@demo.tandem', qa);
      const reader = open((await make(pm, { name: 'collab read', scope: 'read' })).token, docId);
      const writer = open((await make(pm, { name: 'collab write', scope: 'write' })).token, docId);
      await waitFor(() => reader.provider.status === 'saved' && writer.provider.status === 'saved', 5000, 'both joined');
      expect(reader.provider.readOnly).toBe(true);
      expect(writer.provider.readOnly).toBe(false);
      writer.doc.getText('t').insert(0, 'written by a script');
      await waitFor(() => writer.provider.unsavedChanges === 0 && reader.doc.getText('t').toString() === 'written by a script', 5000, 'the edit saved and seen');
      expect((await storedDoc(t, docId)).getText('t').toString()).toBe('written by a script');
      reader.close();
      writer.close();
    });

    it('refuses a bad token at the handshake, and closes a connection whose token is revoked', async () => {
      const refused = await new Promise<string>((resolve) => {
        const socket = connectCollab(t.origin, { token: `tdm_${'z'.repeat(43)}`, reconnection: false });
        socket.on('connect_error', (error) => (socket.disconnect(), resolve(error.message)));
        socket.on('connect', () => (socket.disconnect(), resolve('connected')));
      });
      expect(refused).toBe('unauthorized');

      const docId = await t.createDoc('pm@demo.tandem', qa);
      const created = await make(pm, { name: 'revoked while connected', scope: 'write' });
      const client = open(created.token, docId);
      await waitFor(() => client.provider.status === 'saved', 5000, 'joined');
      expect((await pm.delete(`/api/v1/tokens/${created.id}`)).status).toBe(204);
      await waitFor(() => !client.socket.connected, 5000, 'the connection to close');
      expect(client.closing).toEqual(['access_revoked']);
      client.close();
    });

    it('closes the connections of a token when it expires, /live too; a token without expiry carries on', async () => {
      const docId = await t.createDoc('pm@demo.tandem', qa);
      const expiring = await make(pm, { name: 'expires while connected', scope: 'write', expiresInDays: 1 });
      const lasting = await make(pm, { name: 'never expires', scope: 'write' });
      expect(lasting.expiresAt).toBeNull();
      const expiresAt = Date.now() + 2000;
      await t.orm.em.getConnection().execute('update api_token set expires_at = ? where id = ?', [new Date(expiresAt), expiring.id]);
      const [client, other] = [open(expiring.token, docId), open(lasting.token, docId)];
      const live = connectLive(t.origin, { auth: { token: expiring.token }, reconnection: false, forceNew: true });
      const otherLive = connectLive(t.origin, { auth: { token: lasting.token }, reconnection: false, forceNew: true });
      await waitFor(() => client.provider.status === 'saved' && other.provider.status === 'saved' && live.connected && otherLive.connected, 5000, 'all connected');
      expect(Date.now(), 'everything opened before the expiry').toBeLessThan(expiresAt);

      const closedAt = (socket: { once(event: 'disconnect', listener: () => void): unknown }) => new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())));
      const closed = Promise.all([closedAt(client.socket), closedAt(live)]);
      await waitFor(() => !client.socket.connected && !live.connected, expiresAt - Date.now() + 2000, 'both connections to close');
      const [collabAt, liveAt] = await closed;
      for (const at of [collabAt, liveAt]) {
        expect(at).toBeGreaterThanOrEqual(expiresAt);
        expect(at - expiresAt).toBeLessThan(1000);
      }
      expect(client.closing).toEqual(['unauthorized']);
      expect(client.provider.refusal).toBe('unauthorized');

      other.doc.getText('t').insert(0, 'still here');
      await waitFor(() => other.provider.unsavedChanges === 0, 5000, 'the edit saved');
      expect(other.socket.connected && otherLive.connected).toBe(true);
      expect(other.closing).toEqual([]);
      client.close();
      other.close();
      otherLive.disconnect();
    });
  });
});
