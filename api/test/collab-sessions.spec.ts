import { createHmac } from 'node:crypto';
import { connectLive, type RefusalReason } from '@tandem/collab-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadline, freshSession, liveClosed, nextRefusal, startCollabApp, waitFor, waitForStatus, type CollabTestApp } from './collab-harness';

/**
 * A session ending — signed out, rotated by a sign-in, expired — closes the connections it opened,
 * on /collab with a reason and on /live, and no other session's. Real: PostgreSQL, the whole app on
 * port 0, socket.io clients with the real provider.
 */
const PM = 'pm@demo.tandem';
const WITHIN_MS = 1000;

describe('collab: a session ending reaches its open connections', () => {
  let t: CollabTestApp;
  const latencies: Record<string, number> = {};
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    await t?.close();
    console.info('session end → connection (ms):', latencies);
  });

  it('signing out closes the connections opened with that session — co-editing with a reason, /live too — and no other session’s', async () => {
    const docId = await t.createDoc(PM, 'QA');
    const [leaving, staying] = [await freshSession(t, PM), await freshSession(t, PM)];
    const signedOut = await t.client(PM, docId, { cookie: leaving });
    const other = await t.client(PM, docId, { cookie: staying });
    // On a connection of its own, so what closes it is /live's own handling (a browser may carry both on one).
    const live = connectLive(t.origin, { extraHeaders: { cookie: leaving }, reconnection: false, forceNew: true });
    await Promise.all([waitForStatus(signedOut, 'saved'), waitForStatus(other, 'saved'), waitFor(() => live.connected, 2000, 'live connected')]);

    const refusal = nextRefusal(signedOut, performance.now());
    const liveEnded = liveClosed(live);
    expect((await t.http().post('/api/v1/auth/logout').set('Cookie', leaving)).status).toBe(204);
    const answer = await refusal;
    latencies.signedOut = Math.round(answer.ms);
    expect(answer.reason).toBe('unauthorized');
    expect(answer.ms).toBeLessThan(WITHIN_MS);
    expect((await liveEnded).reason).toBe('io server disconnect');
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
    expect((await t.http().post('/api/v1/auth/login').set('Cookie', staying).send({ email: 'partner@demo.tandem', password: 'demo-password' })).status).toBe(200);
    expect((await rotated).reason).toBe('unauthorized');
    before.close();
  });

  it('a session reaching its expiry closes what it opened — co-editing with a reason, /live too — and no other session’s', async () => {
    const docId = await t.createDoc(PM, 'QA');
    const [expiring, staying] = [await freshSession(t, PM), await freshSession(t, PM)];
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
});
