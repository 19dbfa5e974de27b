import {
  LIVE_NAMESPACE,
  REFUSAL_REASONS,
  connectCollab,
  decodeMessage,
  syncStep1Message,
  updateMessage,
  type CollabSocket,
  type LiveSocket,
  type ProgramChangeEvent,
  type RefusalReason,
} from '@tandem/collab-protocol';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomsService } from '../src/collab/rooms.service';
import { ackLog, sameState, startCollabApp, storedDoc, waitFor, waitForStatus, type AckLog, type CollabTestApp, type TestClient } from './collab-harness';

/**
 * Bad input from signed-in people. Real: PostgreSQL, the whole app on port 0, raw socket.io
 * clients speaking the wire protocol by hand. Each refusal must leave the document as it was
 * (in PostgreSQL, in the open room, at a passive watcher), the process answering, and a
 * well-behaved client on another document editing and getting `saved` all along.
 */
const PM = 'pm@demo.tandem';
const QA_LEAD = 'qa.lead@demo.tandem';

interface Outcome {
  /** the first refusal named by the server, 'transport' when the connection simply dropped */
  refused: RefusalReason | 'transport' | null;
  closed: boolean;
}

describe('collab: hostile input is refused without harm', () => {
  let t: CollabTestApp;
  let target: string;
  let watcher: TestClient;
  let baseline: Y.Doc;
  let bystander: TestClient;
  let bystanderLog: AckLog;
  let bystanderDrops = 0;
  let editing: ReturnType<typeof setInterval> | undefined;
  let ackedAtStart = 0;

  beforeAll(async () => {
    t = await startCollabApp();
    target = await t.createDoc(PM, 'QA');
    watcher = await t.client(PM, target);
    await waitForStatus(watcher, 'saved');
    watcher.doc.getText('t').insert(0, 'The plan, as agreed.');
    watcher.doc.getMap('m').set('owner', 'pm');
    await waitForStatus(watcher, 'saved');
    baseline = await storedDoc(t, target);

    const other = await t.createDoc(PM, 'KB');
    bystander = await t.client(PM, other);
    bystanderLog = ackLog(bystander.socket, other);
    bystander.socket.on('disconnect', () => (bystanderDrops += 1));
    await waitForStatus(bystander, 'saved');
    let n = 0;
    editing = setInterval(() => bystander.doc.getText('t').insert(0, `${n++} `), 20);
  });
  afterAll(async () => {
    clearInterval(editing);
    await t?.close();
  });

  beforeEach(() => {
    ackedAtStart = bystanderLog.acknowledged.length;
  });
  afterEach(async () => {
    // The process answers, and the bystander kept getting its edits saved through the attack.
    expect((await fetch(`${t.origin}/health/live`)).status).toBe(200);
    await waitFor(() => bystanderLog.acknowledged.length >= ackedAtStart + 5, 5000, 'the bystander to get more edits saved');
    expect(bystanderDrops).toBe(0);
    expect(bystander.provider.refusal).toBeNull();
    await expectUnchanged();
  });

  /** The target document is exactly the baseline: stored, in the open room, and at the watcher. */
  async function expectUnchanged(): Promise<void> {
    const stored = await storedDoc(t, target);
    expect(stored.getText('t').toString()).toBe(baseline.getText('t').toString());
    expect(sameState(stored, baseline)).toBe(true);
    const room = t.app.get(RoomsService).get(target);
    expect(room && sameState(room.doc, baseline)).toBe(true);
    expect(sameState(watcher.doc, baseline)).toBe(true);
    expect(watcher.socket.connected).toBe(true);
  }

  async function attacker(options: { email?: string; docId?: string | null } = {}): Promise<CollabSocket> {
    const socket = connectCollab(t.origin, { extraHeaders: { cookie: await t.cookieFor(options.email ?? PM) }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const docId = options.docId === undefined ? target : options.docId;
    if (docId) expect(await socket.emitWithAck('join', { docId })).toMatchObject({ ok: true });
    return socket;
  }

  /**
   * Sends `message`, then a harmless sync step 1 for the same doc: the server answers that with a
   * sync step 2 once it has dealt with the first message, so no waiting on timers is needed.
   */
  function send(socket: CollabSocket, message: Uint8Array, docId = target): Promise<Outcome> {
    return new Promise((resolve) => {
      let refused: Outcome['refused'] = null;
      socket.on('error', (_doc, reason) => (refused ??= reason));
      socket.on('disconnect', () => resolve({ refused: refused ?? 'transport', closed: true }));
      socket.on('y', (_doc, bytes) => {
        if (decodeMessage(new Uint8Array(bytes)).type === 'sync-step2') resolve({ refused, closed: false });
      });
      socket.emit('y', docId, message);
      socket.emit('y', docId, syncStep1Message(new Y.Doc()));
    });
  }

  /** An update that would be fine from an editor: text, a map entry, a deletion. */
  function validUpdate(): Uint8Array {
    const fork = new Y.Doc();
    Y.applyUpdate(fork, Y.encodeStateAsUpdate(baseline));
    fork.getText('t').insert(4, 'changed ');
    fork.getText('t').delete(0, 2);
    fork.getMap('m').set('by', 'attacker');
    return Y.encodeStateAsUpdate(fork, Y.encodeStateVector(baseline));
  }

  it('a 50 MB message is dropped by the transport before it is decoded', async () => {
    const socket = await attacker();
    const message = new Uint8Array(50 * 1024 * 1024);
    message.set(updateMessage(validUpdate()));
    expect(await send(socket, message)).toEqual({ refused: 'transport', closed: true });
  });

  it('a message just over the limit is refused as oversized', async () => {
    const socket = await attacker();
    const message = new Uint8Array(t.config.collab.maxMessageBytes + 1024);
    expect(await send(socket, message)).toEqual({ refused: 'oversized', closed: true });
  });

  it('random bytes, raw or in valid framing, never change the document (fast-check)', async () => {
    const framed = (prefix: number[]) => fc.uint8Array({ maxLength: 600 }).map((b) => Uint8Array.from([...prefix, ...varUint(b.length), ...b]));
    const payload = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 600 }), framed([0, 2]), framed([0, 1]), framed([1]));
    await fc.assert(
      fc.asyncProperty(payload, async (bytes) => {
        const socket = await attacker();
        const outcome = await send(socket, bytes);
        socket.disconnect();
        if (outcome.refused) expect(REFUSAL_REASONS).toContain(outcome.refused);
        await expectUnchanged();
      }),
      { numRuns: 50 },
    );
  });

  it('truncated and bit-flipped valid updates are refused, or applied whole (fast-check)', async () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const update = validUpdate();
        const at = m.at % update.length;
        const bad = m.kind === 'truncate' ? update.slice(0, at) : Uint8Array.from(update, (b, i) => (i === at ? b ^ (1 << m.bit) : b));
        const socket = await attacker();
        const saved = new Promise<void>((resolve) => socket.once('saved', () => resolve()));
        const outcome = await send(socket, updateMessage(bad));
        if (outcome.refused) return expectUnchanged();
        await saved;
        socket.disconnect();
        // Accepted: then it was a well-formed update, and the document is the baseline plus all of it.
        const expected = new Y.Doc();
        Y.applyUpdate(expected, Y.encodeStateAsUpdate(baseline));
        Y.applyUpdate(expected, bad);
        expect(expected.store.pendingStructs ?? expected.store.pendingDs).toBeNull();
        baseline = expected;
        await waitFor(() => sameState(watcher.doc, expected), 5000, 'the watcher to receive the accepted update');
        await expectUnchanged();
      }),
      // Each accepted run moves the baseline on, so a failing value cannot be re-run in isolation: no shrinking.
      { numRuns: 50, endOnFailure: true },
    );
  });

  it('the yjs#479 garbage payload is refused as undecodable', async () => {
    const socket = await attacker();
    expect(await send(socket, updateMessage(Buffer.from('garbagedoc', 'base64')))).toEqual({ refused: 'undecodable', closed: true });
  });

  it('updates with missing dependencies are refused: a clock gap, an unknown origin, a deletion of unknown items', async () => {
    const gap = new Y.Doc();
    Y.applyUpdate(gap, Y.encodeStateAsUpdate(baseline));
    gap.getText('t').insert(0, 'first ');
    const afterFirst = Y.encodeStateVector(gap);
    gap.getText('t').insert(0, 'second ');

    const hidden = new Y.Doc();
    Y.applyUpdate(hidden, Y.encodeStateAsUpdate(baseline));
    hidden.getText('t').insert(0, 'unseen');
    const seen = Y.encodeStateVector(hidden);
    const dependent = new Y.Doc();
    Y.applyUpdate(dependent, Y.encodeStateAsUpdate(hidden));
    dependent.getText('t').insert(3, 'after the unseen');
    hidden.getText('t').delete(0, 6);

    for (const update of [
      Y.encodeStateAsUpdate(gap, afterFirst),
      Y.encodeStateAsUpdate(dependent, seen),
      Y.encodeStateAsUpdate(hidden, Y.encodeStateVector(hidden)),
    ]) {
      const socket = await attacker();
      expect(await send(socket, updateMessage(update))).toEqual({ refused: 'missing_dependencies', closed: true });
      await expectUnchanged();
    }
  });

  it('an item placed between neighbours in the wrong order is refused (replicas would order it differently)', async () => {
    // Hand-encoded: one text item whose origin lies right of its right origin, then one whose
    // neighbours are in different shared types. The watcher wrote the text as one item at clocks 0-19.
    const author = watcher.doc.clientID;
    const crossed = (origin: number, rightOrigin: number) => {
      const e = encoding.createEncoder();
      [1, 1, 4242, 0].forEach((n) => encoding.writeVarUint(e, n));
      encoding.writeUint8(e, 0b1100_0100); // origin, right origin, string content
      [author, origin, author, rightOrigin].forEach((n) => encoding.writeVarUint(e, n));
      encoding.writeVarString(e, 'XYZ');
      encoding.writeVarUint(e, 0); // no deletions
      return encoding.toUint8Array(e);
    };
    const mapItem = Y.getState(baseline.store, author) - 1;
    for (const update of [crossed(10, 5), crossed(3, mapItem)]) {
      const socket = await attacker();
      expect(await send(socket, updateMessage(update))).toEqual({ refused: 'undecodable', closed: true });
      await expectUnchanged();
    }
  });

  it("a viewer's write is refused as read-only and changes nothing", async () => {
    const vou = await t.createDoc(PM, 'VOU');
    const before = await storedDoc(t, vou);
    const socket = await attacker({ email: QA_LEAD, docId: null });
    expect(await socket.emitWithAck('join', { docId: vou })).toEqual({ ok: true, readOnly: true });
    const fork = new Y.Doc();
    fork.getText('t').insert(0, 'viewer text');
    expect(await send(socket, updateMessage(Y.encodeStateAsUpdate(fork)), vou)).toEqual({ refused: 'read_only', closed: true });
    expect(sameState(await storedDoc(t, vou), before)).toBe(true);
  });

  it('a flood is cut off as rate-limited; what was stored is exactly the edits before the cut', async () => {
    const floodDoc = await t.createDoc(PM, 'QA');
    const socket = await attacker({ docId: floodDoc });
    const fork = new Y.Doc();
    const updates: Uint8Array[] = [];
    fork.on('update', (u: Uint8Array) => updates.push(u));
    const sequence = Array.from({ length: 3000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
    for (const ch of sequence) fork.getText('t').insert(fork.getText('t').length, ch);
    const errors: RefusalReason[] = [];
    socket.on('error', (_d, reason) => errors.push(reason));
    const closed = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));
    for (const u of updates) socket.emit('y', floodDoc, updateMessage(u));
    await closed;
    expect(errors[0]).toBe('rate_limited');
    await waitFor(() => !t.app.get(RoomsService).get(floodDoc), 5000, 'the flooded room to unload');
    const stored = (await storedDoc(t, floodDoc)).getText('t').toString();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThan(sequence.length);
    expect(stored).toBe(sequence.slice(0, stored.length));
  });

  it('a refusal closes the co-editing socket only: /live on the same connection (as a browser carries both) stays and still hears changes', async () => {
    const socket = await attacker();
    // The page's /live socket on the same connection, as the browser's io() multiplexes them.
    const live = socket.io.socket(LIVE_NAMESPACE) as LiveSocket;
    const events: ProgramChangeEvent[] = [];
    live.on('change', (e) => events.push(e));
    const liveDrops: string[] = [];
    live.on('disconnect', (reason) => liveDrops.push(reason));
    live.connect();
    await waitFor(() => live.connected, 5000, '/live connected');
    expect(await live.emitWithAck('subscribe', { programId: 'QA' })).toEqual({ ok: true });

    expect(await send(socket, new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toEqual({ refused: 'undecodable', closed: true });
    const pm = await t.signIn(PM);
    expect((await pm.post('/api/v1/programs/QA/updates').send({ health: 'on_track', narrative: 'Heard after a refusal' })).status).toBe(201);
    await waitFor(() => events.some((e) => e.entityType === 'status_update'), 5000, '/live to hear the change');
    expect(liveDrops).toEqual([]);
    expect(live.connected).toBe(true);
    live.disconnect();
  });

  it('`y` for a document the connection has not joined is refused as not_joined', async () => {
    const socket = await attacker({ docId: null });
    const reason = new Promise((resolve) => socket.once('error', (_d, r) => resolve(r)));
    socket.emit('y', target, updateMessage(validUpdate()));
    expect(await reason).toBe('not_joined');
    socket.disconnect();
  });

  it('a join with a malformed or missing document id is answered not_found, and one without an ack is ignored', async () => {
    const socket = await attacker({ docId: null });
    const join = (payload: unknown) => (socket as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck('join', payload);
    for (const payload of [{ docId: 'not-a-uuid' }, {}, null, 42, { docId: 7 }, { docId: `${target}x` }, { docId: 'a'.repeat(100_000) }, { docId: '00000000-0000-4000-8000-000000000000' }]) {
      expect(await join(payload)).toEqual({ ok: false, error: 'not_found' });
    }
    socket.emit('join', { docId: target }, undefined as never);
    expect(await socket.emitWithAck('join', { docId: target })).toEqual({ ok: true, readOnly: false });
    socket.disconnect();
  });

  it('a handshake without a session cookie fails with unauthorized', async () => {
    const socket = connectCollab(t.origin, { reconnection: false });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    expect(error.message).toBe('unauthorized');
    socket.disconnect();
  });
});

function varUint(n: number): number[] {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}
