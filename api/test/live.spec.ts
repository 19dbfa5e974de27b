import { connectLive, type LiveSocket, type ProgramChangeEvent } from '@tandem/collab-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollabApp, waitFor, type CollabTestApp } from './collab-harness';

/** Real: the app on a port, PostgreSQL, socket.io clients on /live signed in with session cookies. */
describe('live: pages hear about committed changes', () => {
  let t: CollabTestApp;
  const sockets: LiveSocket[] = [];
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await t?.close();
  });

  async function live(email: string): Promise<{ socket: LiveSocket; events: ProgramChangeEvent[] }> {
    const socket = connectLive(t.origin, { extraHeaders: { cookie: await t.cookieFor(email) } });
    sockets.push(socket);
    const events: ProgramChangeEvent[] = [];
    socket.on('change', (e) => events.push(e));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return { socket, events };
  }

  it('tells a subscribed page about a change after it is committed', async () => {
    const { socket, events } = await live('partner@demo.tandem');
    expect(await socket.emitWithAck('subscribe', { programId: 'QA' })).toEqual({ ok: true });
    const pm = await t.signIn('pm@demo.tandem');
    const res = await pm.post('/api/v1/programs/QA/updates').send({ health: 'on_track', narrative: 'Live test' });
    expect(res.status).toBe(201);
    await waitFor(() => events.some((e) => e.entityType === 'status_update'));
  });

  it('answers a program the person may not read exactly like a missing one', async () => {
    const { socket } = await live('partner@demo.tandem');
    expect(await socket.emitWithAck('subscribe', { programId: 'WFM' })).toEqual({ ok: false, error: 'not_found' });
    expect(await socket.emitWithAck('subscribe', { programId: 'NOPE' })).toEqual({ ok: false, error: 'not_found' });
  });

  it('gives leadership every program and programs created later on one portfolio subscription', async () => {
    const { socket, events } = await live('leader@demo.tandem');
    const ack = await socket.emitWithAck('subscribe-portfolio', {});
    expect(ack).toMatchObject({ ok: true });
    expect(ack.ok && ack.programs).toBeGreaterThanOrEqual(4);
    const pm = await t.signIn('pm@demo.tandem');
    const created = await pm.post('/api/v1/programs').send({ key: 'LIVE1', name: 'Live program' });
    await waitFor(() => events.some((e) => e.programId === created.body.id && e.action === 'created'));
    await pm.post('/api/v1/programs/WFM/updates').send({ health: 'at_risk', narrative: 'Forecast accuracy dropped' });
    await waitFor(() => events.some((e) => e.entityType === 'status_update'));
  });

  // A portfolio page opened before a program existed (or while it was archived, or before its
  // reader was added to it) must hear that program's later changes too, not only its arrival.
  it("keeps a leader's portfolio told about a program created after it subscribed", async () => {
    const { socket, events } = await live('leader@demo.tandem');
    expect(await socket.emitWithAck('subscribe-portfolio', {})).toMatchObject({ ok: true });
    const pm = await t.signIn('pm@demo.tandem');
    const created = await pm.post('/api/v1/programs').send({ key: 'LIVE2', name: 'Created while watched' });
    expect(created.status).toBe(201);
    await waitFor(() => events.some((e) => e.programId === created.body.id && e.action === 'created'));
    expect((await pm.post('/api/v1/programs/LIVE2/updates').send({ health: 'off_track', narrative: 'After creation' })).status).toBe(201);
    await waitFor(() => events.some((e) => e.programId === created.body.id && e.entityType === 'status_update'), 2000, 'the new program\'s update');
  });

  it("tells a leader's portfolio that an archived program was restored, and about its changes after", async () => {
    const pm = await t.signIn('pm@demo.tandem');
    const created = await pm.post('/api/v1/programs').send({ key: 'LIVE3', name: 'Archived while watched' });
    expect((await pm.post('/api/v1/programs/LIVE3/archive')).status).toBe(200);
    const { socket, events } = await live('leader@demo.tandem');
    expect(await socket.emitWithAck('subscribe-portfolio', {})).toMatchObject({ ok: true });
    expect((await pm.post('/api/v1/programs/LIVE3/restore')).status).toBe(200);
    await waitFor(() => events.some((e) => e.programId === created.body.id && e.action === 'restored'), 2000, 'the restore');
    expect((await pm.post('/api/v1/programs/LIVE3/updates').send({ health: 'at_risk', narrative: 'After restore' })).status).toBe(201);
    await waitFor(() => events.some((e) => e.programId === created.body.id && e.entityType === 'status_update'), 2000, 'the restored program\'s update');
  });

  it("keeps a member's portfolio told about a program they were added to after it subscribed", async () => {
    const pm = await t.signIn('pm@demo.tandem');
    const created = await pm.post('/api/v1/programs').send({ key: 'LIVE4', name: 'Shared while watched' });
    const { socket, events } = await live('wfm.analyst@demo.tandem');
    expect(await socket.emitWithAck('subscribe-portfolio', {})).toMatchObject({ ok: true });
    const me = await (await t.signIn('wfm.analyst@demo.tandem')).get('/api/v1/auth/me');
    expect((await pm.post('/api/v1/programs/LIVE4/members').send({ userId: me.body.id, role: 'viewer' })).status).toBe(201);
    await waitFor(() => events.some((e) => e.programId === created.body.id && e.entityType === 'member'), 2000, 'being added');
    expect((await pm.post('/api/v1/programs/LIVE4/updates').send({ health: 'at_risk', narrative: 'After adding' })).status).toBe(201);
    await waitFor(() => events.some((e) => e.programId === created.body.id && e.entityType === 'status_update'), 2000, 'the update of the program shared with them');
  });

  it('stops telling a removed member about the program at once', async () => {
    const { socket, events } = await live('qa.lead@demo.tandem');
    expect(await socket.emitWithAck('subscribe', { programId: 'VOU' })).toEqual({ ok: true });
    const pm = await t.signIn('pm@demo.tandem');
    const me = await (await t.signIn('qa.lead@demo.tandem')).get('/api/v1/auth/me');
    expect((await pm.delete(`/api/v1/programs/VOU/members/${me.body.id}`)).status).toBe(204);
    const before = events.length;
    await pm.patch('/api/v1/programs/VOU').send({ description: 'After removal' });
    await new Promise((r) => setTimeout(r, 300));
    expect(events.slice(before).filter((e) => e.entityType === 'program')).toEqual([]);
  });

  it('refuses a connection without a session', async () => {
    const socket = connectLive(t.origin, { reconnection: false });
    sockets.push(socket);
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('unauthorized');
  });
});
