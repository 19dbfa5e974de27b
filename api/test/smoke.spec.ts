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
