import { awarenessMessage } from '@tandem/collab-protocol';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollabApp, waitFor, waitForStatus, type CollabTestApp, type TestClient } from './collab-harness';

/**
 * Presence (awareness) speaks for the signed-in person only. Real: PostgreSQL, the whole app on
 * port 0, socket.io clients with the real provider; the hostile message is written by hand.
 */
describe('collab: presence', () => {
  let t: CollabTestApp;
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const me = async (email: string) => (await (await t.signIn(email)).get('/api/v1/auth/me')).body as { id: string; name: string };
  const userAt = (observer: TestClient, clientId: number) => (observer.provider.awareness.getStates().get(clientId) as { user?: { id?: string; name?: string; color?: string } } | undefined)?.user;

  it('shows every connection under its own name, and no one can clear or take over another person\'s presence', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const pm = await me('pm@demo.tandem');
    const leader = await me('leader@demo.tandem');
    const a = await t.client('pm@demo.tandem', docId);
    const observer = await t.client('partner@demo.tandem', docId);
    await Promise.all([waitForStatus(a, 'saved'), waitForStatus(observer, 'saved')]);
    a.provider.awareness.setLocalStateField('user', { id: pm.id, name: pm.name, color: '#1f4e8c' });
    await waitFor(() => userAt(observer, a.doc.clientID)?.name === pm.name, 5000, 'the PM\'s presence');

    // Leadership may only read, but may be present: it claims to be the PM…
    const v = await t.client('leader@demo.tandem', docId);
    await waitForStatus(v, 'saved');
    v.provider.awareness.setLocalStateField('user', { id: pm.id, name: pm.name, color: '#1f4e8c' });
    // …and tries to clear the PM's own presence with a newer clock.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, a.doc.clientID);
    encoding.writeVarUint(encoder, 1000);
    encoding.writeVarString(encoder, 'null');
    v.socket.emit('y', docId, awarenessMessage(encoding.toUint8Array(encoder)));

    // (the state it announced on joining, without a colour, may arrive first)
    await waitFor(() => userAt(observer, v.doc.clientID)?.color !== undefined, 5000, 'the leader\'s presence');
    expect(userAt(observer, v.doc.clientID)).toMatchObject({ id: leader.id, name: leader.name, color: '#1f4e8c' });
    await new Promise((r) => setTimeout(r, 300));
    expect(userAt(observer, a.doc.clientID)).toMatchObject({ id: pm.id, name: pm.name });
    // a later joiner hears the same from the server's copy
    const late = await t.client('partner@demo.tandem', docId);
    await waitFor(() => userAt(late, v.doc.clientID) !== undefined && userAt(late, a.doc.clientID) !== undefined, 5000, 'presence at a late joiner');
    expect(userAt(late, v.doc.clientID)).toMatchObject({ id: leader.id, name: leader.name });
    expect(userAt(late, a.doc.clientID)).toMatchObject({ id: pm.id, name: pm.name });
    for (const c of [a, v, observer, late]) c.close();
  });

  /** Drops the connection as a lost network does (no goodbye); socket.io's client reconnects by itself. */
  const dropConnection = (c: TestClient) => c.socket.io.engine.close();
  const present = (observer: TestClient, c: TestClient) => observer.provider.awareness.getStates().has(c.doc.clientID);

  it('shows a person again as soon as their connection comes back, though their presence did not change meanwhile', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('partner@demo.tandem', docId);
    const observer = await t.client('pm@demo.tandem', docId);
    await Promise.all([waitForStatus(a, 'saved'), waitForStatus(observer, 'saved')]);
    a.provider.awareness.setLocalStateField('user', { id: 'x', name: 'x', color: '#1f4e8c' });
    await waitFor(() => present(observer, a), 5000, 'the partner\'s presence');

    dropConnection(a);
    await waitFor(() => !present(observer, a), 5000, 'the partner to be gone once the connection dropped');
    await waitForStatus(a, 'saved', 10_000);
    // Everyone dropped the partner's state when the connection went; y-protocols ignores a state
    // whose clock is not newer than the last one it saw, so the client must announce a newer one
    // (otherwise they stay invisible until awareness renews itself, 15 s later).
    await waitFor(() => present(observer, a), 3000, 'the partner to be shown again after reconnecting');
    for (const c of [a, observer]) c.close();
  });

  it('takes a person away as soon as they leave, after a reconnect too', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('partner@demo.tandem', docId);
    const observer = await t.client('pm@demo.tandem', docId);
    await Promise.all([waitForStatus(a, 'saved'), waitForStatus(observer, 'saved')]);
    a.provider.awareness.setLocalStateField('cursor', 1);
    await waitFor(() => present(observer, a), 5000, 'the partner\'s presence');

    dropConnection(a);
    await waitFor(() => !present(observer, a), 5000, 'the partner to be gone once the connection dropped');
    // the caret moved while offline: the new state is announced on the new connection
    a.provider.awareness.setLocalStateField('cursor', 2);
    await waitForStatus(a, 'saved', 10_000);
    await waitFor(() => (observer.provider.awareness.getStates().get(a.doc.clientID) as { cursor?: number } | undefined)?.cursor === 2, 5000, 'the partner shown again');

    // The server must know that the new connection speaks for that awareness client (the room had
    // seen it before, so y-protocols calls it "updated", not "added"), to clear it when it closes;
    // otherwise the avatar and caret stay on everyone's screen until they time out, 30 s later.
    a.close();
    await waitFor(() => !present(observer, a), 3000, 'the partner to be gone once they left');
    observer.close();
  });
});
