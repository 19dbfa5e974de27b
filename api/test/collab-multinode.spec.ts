import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { decodeMessage } from '@tandem/collab-protocol';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollabGateway } from '../src/collab/collab.gateway';
import { DocStore } from '../src/collab/doc-store';
import { RelayService } from '../src/collab/relay';
import {
  collabClients,
  freePort,
  startApiProcess,
  startCollabApp,
  startCollabNode,
  waitFor,
  waitForStatus,
  type CollabTestApp,
  type TestClient,
} from './collab-harness';

/**
 * Several api nodes on one PostgreSQL database, talking through Redis. Real: PostgreSQL, Redis
 * (the shared server at 127.0.0.1:6379 under a key prefix of this run's own, and a private
 * redis-server on a free port for the test that restarts it), the whole app on ports, one node as
 * a separate process (killed with SIGKILL), socket.io clients with the real provider.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `tandem-test-${randomBytes(4).toString('hex')}`;
const PM = 'pm@demo.tandem';
const PARTNER = 'partner@demo.tandem';
const QA_LEAD = 'qa.lead@demo.tandem';

const text = (c: TestClient) => c.doc.getText('t').toString();
const relayOf = (node: CollabTestApp) => node.app.get(RelayService);

async function storedText(node: CollabTestApp, docId: string): Promise<string> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await node.app.get(DocStore).loadState(docId));
  return doc.getText('t').toString();
}

describe('two api nodes sharing Redis', () => {
  let a: CollabTestApp;
  let b: CollabTestApp;
  beforeAll(async () => {
    a = await startCollabApp({ REDIS_URL, REDIS_PREFIX: PREFIX });
    b = await startCollabNode(a.config.databaseUrl ?? '', { REDIS_URL, REDIS_PREFIX: PREFIX });
    await waitFor(() => relayOf(a).status === 'ok' && relayOf(b).status === 'ok', 5000, 'both nodes connected to Redis');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('clients on different nodes converge on text and structured content, and a late joiner on either node gets it all', async () => {
    const docId = await a.createDoc(PM, 'QA');
    const onA = await a.client(PM, docId);
    const onB = await b.client(PARTNER, docId);
    await Promise.all([waitForStatus(onA, 'saved'), waitForStatus(onB, 'saved')]);
    for (let i = 0; i < 20; i++) {
      onA.doc.getText('t').insert(0, `a${i};`);
      onB.doc.getText('t').insert(onB.doc.getText('t').length, `b${i};`);
    }
    onA.doc.getMap('board').set('columns', ['Went well', 'To improve']);
    onB.doc.getMap('board').set('votes', 3);
    await waitFor(() => text(onA) === text(onB) && onA.doc.getMap('board').has('votes') && onB.doc.getMap('board').has('columns'));
    expect(text(onA).match(/[ab]\d+;/g)).toHaveLength(40);
    expect(onB.doc.getMap('board').get('columns')).toEqual(['Went well', 'To improve']);
    await Promise.all([waitForStatus(onA, 'saved'), waitForStatus(onB, 'saved')]);
    // The relayed updates were stored once, by the node that accepted them: 40 text edits + 2 map edits.
    const rows = await a.orm.em.getConnection().execute<{ n: string }[]>('select count(*) as n from doc_update where doc_id = ?', [docId]);
    expect(Number(rows[0]?.n)).toBe(42);
    const late = await b.client(QA_LEAD, docId);
    await waitForStatus(late, 'saved');
    expect(text(late)).toBe(text(onA));
    expect(await storedText(a, docId)).toBe(text(onA));
  });

  it('presence crosses nodes, reaches a node that opens the room later, and is cleared everywhere when its client goes', async () => {
    const docId = await a.createDoc(PM, 'QA');
    const onA = await a.client(PM, docId);
    await waitForStatus(onA, 'saved');
    onA.provider.awareness.setLocalStateField('user', { name: 'Priya Manager' });
    // Node B opens the room only now: it asks node A for the presence of A's clients.
    const onB = await b.client(PARTNER, docId);
    await waitForStatus(onB, 'saved');
    const seesPriya = (c: TestClient) => (c.provider.awareness.getStates().get(onA.doc.clientID) as { user?: { name?: string } } | undefined)?.user?.name === 'Priya Manager';
    await waitFor(() => seesPriya(onB), 2000, 'presence of the client on node A at node B');
    onB.provider.awareness.setLocalStateField('user', { name: 'Paolo' });
    await waitFor(() => onA.provider.awareness.getStates().has(onB.doc.clientID), 2000, 'presence of the client on node B at node A');
    // The client on A vanishes without saying goodbye: node A clears it and tells node B.
    onA.socket.disconnect();
    await waitFor(() => !onB.provider.awareness.getStates().has(onA.doc.clientID), 2000, 'removal at node B');
    const later = await b.client(QA_LEAD, docId);
    await waitFor(() => later.provider.awareness.getStates().has(onB.doc.clientID), 2000, 'presence at a late joiner');
    expect(later.provider.awareness.getStates().has(onA.doc.clientID)).toBe(false);
  });

  it('a node shutting down takes the presence of its clients with it', async () => {
    const c = await startCollabNode(a.config.databaseUrl ?? '', { REDIS_URL, REDIS_PREFIX: PREFIX });
    const docId = await a.createDoc(PM, 'QA');
    const onA = await a.client(PM, docId);
    const onC = await c.client(PARTNER, docId);
    await Promise.all([waitForStatus(onA, 'saved'), waitForStatus(onC, 'saved')]);
    onC.provider.awareness.setLocalStateField('user', { name: 'Paolo' });
    await waitFor(() => onA.provider.awareness.getStates().has(onC.doc.clientID), 2000, 'presence at node A');
    await c.close();
    // Well before the 30 s after which awareness forgets a silent client.
    await waitFor(() => !onA.provider.awareness.getStates().has(onC.doc.clientID), 2000, 'the presence to go');
  });

  it('an access change made on one node downgrades the connection on the other within 1 s', async () => {
    const docId = await a.createDoc(PM, 'QA');
    const onB = await b.client(QA_LEAD, docId);
    await waitForStatus(onB, 'saved');
    expect(onB.provider.readOnly).toBe(false);
    const pm = await a.signIn(PM);
    const members = await pm.get('/api/v1/programs/QA/members?limit=100');
    const qaLead = (members.body.items as { user: { id: string; email: string } }[]).find((m) => m.user.email === QA_LEAD);
    expect(qaLead).toBeDefined();
    const res = await pm.patch(`/api/v1/programs/QA/members/${qaLead?.user.id}`).send({ role: 'viewer' });
    expect(res.status).toBe(200);
    await waitFor(() => onB.provider.readOnly, 1000, 'the read-only downgrade on node B');
    await pm.patch(`/api/v1/programs/QA/members/${qaLead?.user.id}`).send({ role: 'editor' });
  });

  it('archiving a document on one node makes it read-only on the other within 1 s, and restoring writable again', async () => {
    const docId = await a.createDoc(PM, 'QA');
    const onB = await b.client(PM, docId);
    await waitForStatus(onB, 'saved');
    const pm = await a.signIn(PM);
    expect((await pm.post(`/api/v1/docs/${docId}/archive`)).status).toBe(200);
    await waitFor(() => onB.provider.readOnly, 1000, 'the read-only downgrade on node B');
    expect((await pm.post(`/api/v1/docs/${docId}/restore`)).status).toBe(200);
    await waitFor(() => !onB.provider.readOnly, 1000, 'writing given back on node B');
  });

  it('killing a node with SIGKILL loses no acknowledged edit, and its clients finish on another node', async () => {
    const killed = await startApiProcess({
      DATABASE_URL: a.config.databaseUrl ?? '',
      REDIS_URL,
      REDIS_PREFIX: PREFIX,
      MIGRATE_ON_START: '0',
      SEED_DEMO: '0',
      SESSION_SECRET: a.config.sessionSecret,
      LOG_LEVEL: 'error',
      WEB_BUILD_DIR: '',
    });
    const docId = await a.createDoc(PM, 'QA');
    const onA = await a.client(PM, docId);
    const viaKilled = collabClients(killed.origin);
    const doomed = await viaKilled.client(PARTNER, docId);
    await Promise.all([waitForStatus(onA, 'saved'), waitForStatus(doomed, 'saved')]);

    // Which edits each `saved(n)` covers: n counts update-carrying messages sent on the connection,
    // from its first — the sync answer the provider sent before it could say "saved" counts too.
    let edits = 0;
    let sent = doomed.provider['sentOnConnection'];
    expect(sent).toBe(1);
    let acked = 0;
    const editsAtMessage = new Map<number, number>();
    doomed.socket.onAnyOutgoing((event: string, _docId: string, message: Uint8Array) => {
      if (event !== 'y') return;
      const type = decodeMessage(message).type;
      if (type === 'sync-step2' || type === 'update') editsAtMessage.set(++sent, edits);
    });
    doomed.socket.on('saved', (_docId, n) => (acked = Math.max(acked, editsAtMessage.get(n) ?? 0)));
    const typing = setInterval(() => {
      edits += 1;
      doomed.doc.getText('t').insert(doomed.doc.getText('t').length, `b${edits};`);
    }, 10);
    try {
      await waitFor(() => acked >= 30, 10_000, '30 acknowledged edits');
      killed.kill('SIGKILL');
      expect(await killed.exited).toBe('SIGKILL');
      await waitFor(() => !doomed.socket.connected, 5000, 'the client to notice');
    } finally {
      clearInterval(typing);
    }
    const ackedAtDeath = acked;

    // PostgreSQL alone holds every acknowledged edit, in order.
    const stored = await storedText(a, docId);
    const expected = Array.from({ length: ackedAtDeath }, (_, i) => `b${i + 1};`).join('');
    expect(stored.startsWith(expected)).toBe(true);

    // The client moves to node A with the same document and sends what was never acknowledged.
    viaKilled.closeAll();
    const moved = await a.client(PARTNER, docId, { doc: doomed.doc });
    await waitForStatus(moved, 'saved', 10_000);
    await waitFor(() => text(onA) === text(moved));
    expect(text(onA)).toBe(Array.from({ length: edits }, (_, i) => `b${i + 1};`).join(''));
    expect(await storedText(a, docId)).toBe(text(onA));
  }, 120_000);

  it('without REDIS_URL the app runs on the in-memory adapter and opens no Redis connection', async () => {
    const prefix = `${PREFIX}-solo`;
    const solo = await startCollabNode(a.config.databaseUrl ?? '', { REDIS_PREFIX: prefix });
    try {
      expect(relayOf(solo).status).toBe('disabled');
      const namespace = solo.app.get(CollabGateway)['namespace'];
      expect(namespace.adapter.constructor.name).toBe('Adapter');
      const docId = await solo.createDoc(PM, 'QA');
      const one = await solo.client(PM, docId);
      const two = await solo.client(PARTNER, docId);
      one.doc.getText('t').insert(0, 'solo');
      await waitFor(() => text(two) === 'solo');
      await waitForStatus(one, 'saved');
      const admin = new Redis(REDIS_URL);
      try {
        const clients = String(await admin.call('CLIENT', 'LIST'));
        expect(clients).not.toContain(`name=${prefix}:`);
        expect(clients).toContain(`name=${PREFIX}:relay-sub:`);
      } finally {
        admin.disconnect();
      }
    } finally {
      await solo.close();
    }
  });
});

describe('Redis restarted while two nodes are being edited', () => {
  let redis: ChildProcess | null = null;
  let port = 0;
  let a: CollabTestApp;
  let p: CollabTestApp;
  let q: CollabTestApp;

  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => 20, maxRetriesPerRequest: null });
    probe.on('error', () => undefined); // refused until the server listens
    try {
      await probe.ping();
    } finally {
      probe.disconnect();
    }
  };
  const stopRedis = async () => {
    const server = redis;
    redis = null;
    if (!server || server.exitCode !== null) return;
    const gone = new Promise((r) => server.once('exit', r));
    server.kill('SIGKILL');
    await gone;
  };

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: PREFIX };
    a = await startCollabApp();
    p = await startCollabNode(a.config.databaseUrl ?? '', env);
    q = await startCollabNode(a.config.databaseUrl ?? '', env);
  });
  afterAll(async () => {
    await q?.close();
    await p?.close();
    await a?.close();
    await stopRedis();
  });

  it('after reconnecting, the nodes resync their rooms from PostgreSQL and the clients converge within 5 s', async () => {
    await waitFor(() => relayOf(p).status === 'ok' && relayOf(q).status === 'ok', 5000, 'both nodes connected to Redis');
    const docId = await a.createDoc(PM, 'QA');
    const onP = await p.client(PM, docId);
    const onQ = await q.client(PARTNER, docId);
    await Promise.all([waitForStatus(onP, 'saved'), waitForStatus(onQ, 'saved')]);
    onP.doc.getText('t').insert(0, 'before;');
    await waitFor(() => text(onQ) === 'before;');

    await stopRedis();
    await waitFor(() => relayOf(p).status === 'down' && relayOf(q).status === 'down', 5000, 'both nodes to notice');
    // Edits made only while Redis is away: nothing after the restart could carry them across.
    for (let i = 0; i < 10; i++) {
      onP.doc.getText('t').insert(0, `p${i};`);
      onQ.doc.getText('t').insert(onQ.doc.getText('t').length, `q${i};`);
    }
    // PostgreSQL is the source of truth: edits are still saved while Redis is down.
    await Promise.all([waitForStatus(onP, 'saved'), waitForStatus(onQ, 'saved')]);
    expect(text(onP)).not.toBe(text(onQ));

    await startRedis();
    const restarted = Date.now();
    await waitFor(() => relayOf(p).status === 'ok' && relayOf(q).status === 'ok', 5000, 'both nodes to reconnect');
    await waitFor(() => text(onP) === text(onQ), Math.max(0, 5000 - (Date.now() - restarted)), 'the clients to converge');
    expect(text(onP).match(/[pq]\d;/g)).toHaveLength(20);
    expect(await storedText(a, docId)).toBe(text(onP));
  }, 60_000);

  it('a node that alone lost Redis catches up, and the others learn what it could not publish', async () => {
    // Node r signs in to Redis as a user of its own, so that it alone can be locked out.
    const admin = new Redis({ port });
    await admin.call('ACL', 'SETUSER', 'node-r', 'on', '>node-r-secret', '~*', 'allchannels', '+@all');
    const r = await startCollabNode(a.config.databaseUrl ?? '', { REDIS_URL: `redis://node-r:node-r-secret@127.0.0.1:${port}`, REDIS_PREFIX: PREFIX });
    try {
      await waitFor(() => relayOf(r).status === 'ok' && relayOf(q).status === 'ok', 5000, 'both nodes connected to Redis');
      const docId = await a.createDoc(PM, 'QA');
      const onR = await r.client(PM, docId);
      const onQ = await q.client(PARTNER, docId);
      await Promise.all([waitForStatus(onR, 'saved'), waitForStatus(onQ, 'saved')]);

      await admin.call('ACL', 'SETUSER', 'node-r', 'off');
      await admin.call('CLIENT', 'KILL', 'USER', 'node-r');
      await waitFor(() => relayOf(r).status === 'down', 5000, 'node r to notice');
      expect(relayOf(q).status).toBe('ok');
      onR.doc.getText('t').insert(0, 'from r;');
      onQ.doc.getText('t').insert(0, 'from q;');
      await Promise.all([waitForStatus(onR, 'saved'), waitForStatus(onQ, 'saved')]);
      expect(text(onR)).not.toBe(text(onQ));

      await admin.call('ACL', 'SETUSER', 'node-r', 'on');
      const back = Date.now();
      await waitFor(() => relayOf(r).status === 'ok', 5000, 'node r to reconnect');
      await waitFor(() => text(onR) === text(onQ), Math.max(0, 5000 - (Date.now() - back)), 'the clients to converge');
      expect(text(onQ)).toContain('from r;');
      expect(text(onR)).toContain('from q;');
    } finally {
      await r.close();
      admin.disconnect();
    }
  }, 60_000);
});
