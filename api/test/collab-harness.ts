import { CollabProvider, connectCollab, type CollabSocket, type CollabStatus } from '@tandem/collab-protocol';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from './harness';

/**
 * Real socket.io clients against the real app listening on port 0, with real PostgreSQL.
 * `client(email, docId)` signs in over HTTP and opens /collab with that session cookie.
 */
export interface CollabTestApp extends TestApp {
  origin: string;
  cookieFor(email: string): Promise<string>;
  client(email: string, docId: string, options?: { doc?: Y.Doc }): Promise<TestClient>;
  createDoc(email: string, program: string, kind?: 'plan' | 'retro'): Promise<string>;
}

export interface TestClient {
  doc: Y.Doc;
  socket: CollabSocket;
  provider: CollabProvider;
  close(): void;
}

export async function startCollabApp(env: Record<string, string> = {}): Promise<CollabTestApp> {
  const t = await startTestApp(env);
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const cookies = new Map<string, string>();
  const clients: TestClient[] = [];
  const app: CollabTestApp = {
    ...t,
    origin,
    async cookieFor(email) {
      const known = cookies.get(email);
      if (known) return known;
      const res = await t.http().post('/api/v1/auth/login').send({ email, password: 'demo-password' });
      const cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      if (!cookie) throw new Error(`sign-in as ${email} failed`);
      cookies.set(email, cookie);
      return cookie;
    },
    async client(email, docId, options = {}) {
      const socket = connectCollab(origin, { extraHeaders: { cookie: await app.cookieFor(email) }, reconnectionDelay: 50, reconnectionDelayMax: 200 });
      const doc = options.doc ?? new Y.Doc();
      const provider = new CollabProvider({ socket, docId, doc, retryDelayMs: 50 });
      const client = { doc, socket, provider, close: () => (provider.destroy(), socket.disconnect()) };
      clients.push(client);
      return client;
    },
    async createDoc(email, program, kind = 'plan') {
      const agent = await t.signIn(email);
      const res = await agent.post(`/api/v1/programs/${program}/docs`).send({ kind, title: `${kind} ${Date.now()}` });
      if (res.status !== 201) throw new Error(`creating a doc failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    },
    async close() {
      for (const c of clients) c.close();
      await t.close();
    },
  };
  return app;
}

export function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 5);
    };
    tick();
  });
}

export const waitForStatus = (client: TestClient, status: CollabStatus, timeoutMs = 5000) =>
  waitFor(() => client.provider.status === status, timeoutMs, `status ${status} (is ${client.provider.status})`);
