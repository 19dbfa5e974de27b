import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is ready and lists programs for the pm', async () => {
    expect((await t.http().get('/health/ready')).body).toEqual({ status: 'ok', database: 'ok', migrations: 'applied', redis: 'disabled' });
    const pm = await t.signIn('pm@demo.tandem');
    const res = await pm.get('/api/v1/programs');
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { key: string }) => p.key)).toEqual(['KB', 'QA', 'VOU', 'WFM']);
  });
});

describe('idle keep-alive connections', () => {
  it('stay open as long as HTTP_KEEP_ALIVE_SECONDS says (Node alone: 5 s), then the server closes them', async () => {
    const t = await startTestApp({ HTTP_KEEP_ALIVE_SECONDS: '1' });
    try {
      await t.app.listen(0, '127.0.0.1');
      const address = t.app.getHttpServer().address();
      const port = typeof address === 'object' && address ? address.port : 0;
      // A raw connection: Node's own client agent would drop an idle socket on its own.
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      const idleFrom = await new Promise<number>((resolve) => socket.once('data', () => resolve(performance.now())));
      await new Promise<void>((resolve) => socket.once('end', () => resolve()));
      const idleMs = performance.now() - idleFrom;
      socket.destroy();
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      expect(answer.toLowerCase()).toContain('keep-alive: timeout=1');
      // Closed by the server after about a second of idling, not Node's 5 s.
      expect(idleMs).toBeGreaterThan(800);
      expect(idleMs).toBeLessThan(4000);
    } finally {
      await t.close();
    }
  });
});
