import { createHmac } from 'node:crypto';
import { connectLive, updateMessage, type LiveSocket, type RefusalReason } from '@tandem/collab-protocol';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sameState, startCollabApp, storedDoc, waitFor, waitForStatus, type CollabTestApp, type TestClient } from './collab-harness';

/**
 * Access changes reach open document connections at once (the issue: within 1 s). Real:
 * PostgreSQL, the whole app on port 0, the REST endpoints that change access, socket.io clients
 * with the real provider.
 */
const PM = 'pm@demo.tandem';
const ADMIN = 'admin@demo.tandem';
const WITHIN_MS = 1000;

interface Refusal {
  reason: RefusalReason;
  ms: number;
}

/** Resolves with the first refusal the server names on this connection, and when it came. */
function nextRefusal(client: TestClient, since: number): Promise<Refusal> {
  return new Promise((resolve) => client.socket.once('error', (_doc, reason) => resolve({ reason, ms: performance.now() - since })));
}

/** Resolves with when (Date.now()) the /live connection is closed, and the reason the client gives. */
const liveClosed = (live: LiveSocket) => new Promise<{ at: number; reason: string }>((resolve) => live.once('disconnect', (reason) => resolve({ at: Date.now(), reason })));

/** Rejects at `at` (Date.now() time), naming what did not happen by then. */
const deadline = (at: number, what: string) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), at - Date.now()));

const disconnected = (client: TestClient) => new Promise<void>((resolve) => client.socket.once('disconnect', () => resolve()));

/** A write made by hand, past the provider (which sends nothing once it knows it is read-only). */
function handWrite(client: TestClient, docId: string, text: string): void {
  const fork = new Y.Doc();
  Y.applyUpdate(fork, Y.encodeStateAsUpdate(client.doc));
  fork.getText('t').insert(0, text);
  client.socket.emit('y', docId, updateMessage(Y.encodeStateAsUpdate(fork, Y.encodeStateVector(client.doc))));
}

describe('collab: access changes reach open connections', () => {
  let t: CollabTestApp;
  let ids: Map<string, string>;
  const latencies: Record<string, number> = {};
  beforeAll(async () => {
    t = await startCollabApp();
    const admin = await t.signIn(ADMIN);
    const res = await admin.get('/api/v1/users?limit=100');
    ids = new Map((res.body.items as { id: string; email: string }[]).map((u) => [u.email, u.id]));
  });
  afterAll(async () => {
    await t?.close();
    console.info('access change → connection (ms):', latencies);
  });

  /** A session of the test's own (a `name=value` cookie), not the one the harness keeps per email. */
  async function freshSession(email = PM): Promise<string> {
    const res = await request(t.app.getHttpServer()).post('/api/v1/auth/login').send({ email, password: 'demo-password' });
    expect(res.status).toBe(200);
    return ([res.headers['set-cookie']].flat()[0] ?? '').split(';')[0] ?? '';
  }

  async function connected(email: string, docId: string): Promise<TestClient> {
    const c = await t.client(email, docId);
    await waitForStatus(c, 'saved');
    return c;
  }

  it('removing a member closes their open document with access_revoked, and they cannot rejoin', async () => {
    const docId = await t.createDoc(PM, 'QA');
    const partner = await connected('partner@demo.tandem', docId);
    const pm = await t.signIn(PM);
    const started = performance.now();
    const refusal = nextRefusal(partner, started);
    const closed = disconnected(partner);
    expect((await pm.delete(`/api/v1/programs/QA/members/${ids.get('partner@demo.tandem')}`)).status).toBe(204);
    const { reason, ms } = await refusal;
    await closed;
    latencies.memberRemoved = Math.round(ms);
    expect(reason).toBe('access_revoked');
    expect(ms).toBeLessThan(WITHIN_MS);
    expect(partner.provider.refusal).toBe('access_revoked');
    const again = await t.client('partner@demo.tandem', docId);
    await waitFor(() => again.provider.refusal !== null);
    expect(again.provider.refusal).toBe('not_found');
  });

  it('lowering an editor to viewer makes the open connection read-only; a later write is refused and changes nothing', async () => {
    const docId = await t.createDoc(PM, 'QA');
    const lead = await connected('qa.lead@demo.tandem', docId);
    lead.doc.getText('t').insert(0, 'written while an editor. ');
    await waitForStatus(lead, 'saved');
    expect(lead.provider.readOnly).toBe(false);

    const pm = await t.signIn(PM);
    const started = performance.now();
    const res = await pm.patch(`/api/v1/programs/QA/members/${ids.get('qa.lead@demo.tandem')}`).send({ role: 'viewer' });
    expect(res.status).toBe(200);
    await waitFor(() => lead.provider.readOnly, WITHIN_MS * 2, 'the connection to become read-only');
    latencies.roleLowered = Math.round(performance.now() - started);
    expect(latencies.roleLowered).toBeLessThan(WITHIN_MS);
    expect(lead.socket.connected).toBe(true);

    // The provider no longer sends local edits; one sent by hand is refused.
    const before = await storedDoc(t, docId);
    const refusal = nextRefusal(lead, performance.now());
    handWrite(lead, docId, 'written as a viewer. ');
    expect((await refusal).reason).toBe('read_only');
    expect(sameState(await storedDoc(t, docId), before)).toBe(true);
    expect((await storedDoc(t, docId)).getText('t').toString()).toBe('written while an editor. ');
  });

  it('deactivating a person closes every connection they have open', async () => {
    const admin = await t.signIn(ADMIN);
    const created = await admin.post('/api/v1/users').send({ email: 'temp.editor@demo.tandem', name: 'Temp Editor', password: 'demo-password' });
    expect(created.status).toBe(201);
    const userId = created.body.id as string;
    const pm = await t.signIn(PM);
    expect((await pm.post('/api/v1/programs/QA/members').send({ userId, role: 'editor' })).status).toBe(201);
    const docs = [await t.createDoc(PM, 'QA'), await t.createDoc(PM, 'QA')];
    const conns = [await connected('temp.editor@demo.tandem', docs[0] ?? ''), await connected('temp.editor@demo.tandem', docs[1] ?? '')];
    const colleague = await connected(PM, docs[0] ?? '');

    const started = performance.now();
    const refusals = conns.map((c) => nextRefusal(c, started));
    const closed = conns.map(disconnected);
    expect((await admin.patch(`/api/v1/users/${userId}`).send({ active: false })).status).toBe(200);
    const answers = await Promise.all(refusals);
    latencies.deactivated = Math.round(Math.max(...answers.map((r) => r.ms)));
    for (const r of answers) {
      expect(r.reason).toBe('access_revoked');
      expect(r.ms).toBeLessThan(WITHIN_MS);
    }
    await Promise.all(closed);
    // Others in the same document carry on.
    colleague.doc.getText('t').insert(0, 'still here');
    await waitForStatus(colleague, 'saved');
    expect(colleague.socket.connected).toBe(true);
  });

  it('leadership (org viewer) gets a read-only connection and its writes are refused', async () => {
    const docId = await t.createDoc(PM, 'QA');
    const pmClient = await connected(PM, docId);
    pmClient.doc.getText('t').insert(0, 'the plan');
    await waitForStatus(pmClient, 'saved');
    const leader = await connected('leader@demo.tandem', docId);
    expect(leader.provider.readOnly).toBe(true);
    expect(leader.doc.getText('t').toString()).toBe('the plan');
    // Local edits stay local: the provider sends no update.
    let updatesSent = 0;
    leader.socket.onAnyOutgoing((event: string) => event === 'y' && (updatesSent += 1));
    leader.doc.getText('t').insert(0, 'not sent ');
    expect(updatesSent).toBe(0);
    const refusal = nextRefusal(leader, performance.now());
    handWrite(leader, docId, 'leader text ');
    expect((await refusal).reason).toBe('read_only');
    expect((await storedDoc(t, docId)).getText('t').toString()).toBe('the plan');
  });

  it('signing out closes the connections opened with that session — co-editing with a reason, /live too — and no other session’s', async () => {
    const docId = await t.createDoc(PM, 'QA');
    const server = t.app.getHttpServer();
    const [leaving, staying] = [await freshSession(), await freshSession()];
    const signedOut = await t.client(PM, docId, { cookie: leaving });
    const other = await t.client(PM, docId, { cookie: staying });
    // On a connection of its own, so what closes it is /live's own handling (a browser may carry both on one).
    const live = connectLive(t.origin, { extraHeaders: { cookie: leaving }, reconnection: false, forceNew: true });
    await Promise.all([waitForStatus(signedOut, 'saved'), waitForStatus(other, 'saved'), waitFor(() => live.connected, 2000, 'live connected')]);

    const refusal = nextRefusal(signedOut, performance.now());
    const liveClosed = new Promise<void>((resolve) => live.once('disconnect', () => resolve()));
    expect((await request(server).post('/api/v1/auth/logout').set('Cookie', leaving)).status).toBe(204);
    const answer = await refusal;
    latencies.signedOut = Math.round(answer.ms);
    expect(answer.reason).toBe('unauthorized');
    expect(answer.ms).toBeLessThan(WITHIN_MS);
    await liveClosed;
    await waitFor(() => !signedOut.socket.connected, WITHIN_MS, 'the signed-out connection to close');
    expect(signedOut.provider.refusal).toBe('unauthorized');

    // The person's other session carries on.
    other.doc.getText('t').insert(0, 'still signed in');
    await waitForStatus(other, 'saved');
    expect(other.socket.connected).toBe(true);
    signedOut.close();
    other.close();
    live.disconnect();

    // Signing in again from a browser that still holds a session ends that one the same way.
    const before = await t.client(PM, docId, { cookie: staying });
    await waitForStatus(before, 'saved');
    const rotated = nextRefusal(before, performance.now());
    expect((await request(server).post('/api/v1/auth/login').set('Cookie', staying).send({ email: 'partner@demo.tandem', password: 'demo-password' })).status).toBe(200);
    expect((await rotated).reason).toBe('unauthorized');
    before.close();
  });

  it('a session reaching its expiry closes what it opened — co-editing with a reason, /live too — and no other session’s', async () => {
    const docId = await t.createDoc(PM, 'QA');
    const [expiring, staying] = [await freshSession(), await freshSession()];
    // SESSION_TTL_HOURS is whole hours: this session's row is made to end in a moment. Its id is
    // HMAC(SESSION_SECRET, token), as SessionsService stores it.
    const token = expiring.slice(expiring.indexOf('=') + 1);
    const expiresAt = Date.now() + 2000;
    const sessionId = createHmac('sha256', t.config.sessionSecret).update(token).digest('base64url');
    await t.orm.em.getConnection().execute('update "session" set expires_at = ? where id = ?', [new Date(expiresAt), sessionId]);

    const client = await t.client(PM, docId, { cookie: expiring });
    const other = await t.client(PM, docId, { cookie: staying });
    // Each on a connection of its own, so what closes it is /live's own handling.
    const live = connectLive(t.origin, { extraHeaders: { cookie: expiring }, reconnection: false, forceNew: true });
    const otherLive = connectLive(t.origin, { extraHeaders: { cookie: staying }, reconnection: false, forceNew: true });
    await Promise.all([waitForStatus(client, 'saved'), waitForStatus(other, 'saved'), waitFor(() => live.connected && otherLive.connected, 2000, 'live connected')]);
    expect(Date.now(), 'everything opened before the expiry').toBeLessThan(expiresAt);

    const refusal = new Promise<{ reason: RefusalReason; at: number }>((resolve) => client.socket.once('error', (_doc, reason) => resolve({ reason, at: Date.now() })));
    const closing = new Promise<RefusalReason>((resolve) => client.socket.once('closing', resolve));
    const [liveEnd, answer] = await Promise.race([Promise.all([liveClosed(live), refusal]), deadline(expiresAt + WITHIN_MS * 2, 'both connections to close')]);
    latencies.sessionExpired = answer.at - expiresAt;
    latencies.sessionExpiredLive = liveEnd.at - expiresAt;
    expect(answer.reason).toBe('unauthorized');
    expect(await closing).toBe('unauthorized');
    expect(answer.at).toBeGreaterThanOrEqual(expiresAt);
    expect(answer.at - expiresAt).toBeLessThan(WITHIN_MS);
    expect(liveEnd.reason).toBe('io server disconnect');
    expect(liveEnd.at).toBeGreaterThanOrEqual(expiresAt);
    expect(liveEnd.at - expiresAt).toBeLessThan(WITHIN_MS);
    await waitFor(() => !client.socket.connected, WITHIN_MS, 'the expired connection to close');
    expect(client.provider.refusal).toBe('unauthorized');

    // The person's other session carries on, co-editing and live.
    other.doc.getText('t').insert(0, 'still signed in');
    await waitForStatus(other, 'saved');
    expect(other.socket.connected && otherLive.connected).toBe(true);
    client.close();
    other.close();
    otherLive.disconnect();
  });

  it('archiving a document makes its open connections read-only at once; it opens read-only while archived; restoring gives writing back', async () => {
    const docId = await t.createDoc(PM, 'QA');
    const pmClient = await connected(PM, docId);
    // (An org admin: earlier tests here took qa.lead's and partner's editing rights on QA away.)
    const lead = await connected(ADMIN, docId);
    lead.doc.getText('t').insert(0, 'before archiving. ');
    await waitForStatus(lead, 'saved');

    const pm = await t.signIn(PM);
    const started = performance.now();
    expect((await pm.post(`/api/v1/docs/${docId}/archive`)).status).toBe(200);
    await waitFor(() => pmClient.provider.readOnly && lead.provider.readOnly, WITHIN_MS * 2, 'both connections to become read-only');
    latencies.docArchived = Math.round(performance.now() - started);
    expect(latencies.docArchived).toBeLessThan(WITHIN_MS);
    expect(pmClient.socket.connected && lead.socket.connected).toBe(true);

    // A write that raced the news is refused and changes nothing.
    const before = await storedDoc(t, docId);
    const refusal = nextRefusal(lead, performance.now());
    handWrite(lead, docId, 'after archiving. ');
    expect((await refusal).reason).toBe('read_only');
    expect(sameState(await storedDoc(t, docId), before)).toBe(true);

    // Opened while archived: readable, not writable (it used to be refused as not found).
    const reader = await connected(ADMIN, docId);
    expect(reader.provider.readOnly).toBe(true);
    expect(reader.doc.getText('t').toString()).toBe('before archiving. ');

    const restoredAt = performance.now();
    expect((await pm.post(`/api/v1/docs/${docId}/restore`)).status).toBe(200);
    await waitFor(() => !pmClient.provider.readOnly && !reader.provider.readOnly, WITHIN_MS * 2, 'both connections to become writable');
    expect(performance.now() - restoredAt).toBeLessThan(WITHIN_MS);
    pmClient.doc.getText('t').insert(0, 'restored. ');
    await waitForStatus(pmClient, 'saved');
    expect((await storedDoc(t, docId)).getText('t').toString()).toBe('restored. before archiving. ');
  });

  it('archiving a program makes every open document of it read-only at once, for its owner too; restoring gives writing back', async () => {
    const pm = await t.signIn(PM);
    expect((await pm.post('/api/v1/programs').send({ key: 'ARCH', name: 'Archived while open' })).status).toBe(201);
    const docs = [await t.createDoc(PM, 'ARCH'), await t.createDoc(PM, 'ARCH', 'retro')];
    const other = await t.createDoc(PM, 'QA');
    const conns = [await connected(PM, docs[0] ?? ''), await connected(ADMIN, docs[1] ?? '')];
    const elsewhere = await connected(PM, other);

    const started = performance.now();
    expect((await pm.post('/api/v1/programs/ARCH/archive')).status).toBe(200);
    await waitFor(() => conns.every((c) => c.provider.readOnly), WITHIN_MS * 2, 'the program’s documents to become read-only');
    latencies.programArchived = Math.round(performance.now() - started);
    expect(latencies.programArchived).toBeLessThan(WITHIN_MS);
    expect(elsewhere.provider.readOnly).toBe(false);

    expect((await pm.post('/api/v1/programs/ARCH/restore')).status).toBe(200);
    await waitFor(() => conns.every((c) => !c.provider.readOnly), WITHIN_MS * 2, 'the program’s documents to become writable');
    conns[0]?.doc.getText('t').insert(0, 'back in business');
    await waitForStatus(conns[0]!, 'saved');
    expect((await storedDoc(t, docs[0] ?? '')).getText('t').toString()).toBe('back in business');
  });
});
