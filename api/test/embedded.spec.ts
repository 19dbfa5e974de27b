import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/config';
import { DEMO_PASSWORD, uniqueKey } from './helpers';

/**
 * The embedded default: no DATABASE_URL, so the app runs PGlite in-process with its files in a
 * temp DATA_DIR, applies migrations and seeds the demo organisation on first start. Real: PGlite,
 * the whole Nest app (twice, one after the other, on the same DATA_DIR), argon2, cookies, HTTP
 * through Supertest. No external PostgreSQL is used. The temp dir is removed at the end.
 */

let dataDir: string;
let app: NestExpressApplication | undefined;

async function start(): Promise<NestExpressApplication> {
  const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'error', WEB_BUILD_DIR: '' });
  app = await createApp(config, { serveWeb: false });
  return app;
}

async function stop(): Promise<void> {
  await app?.close();
  app = undefined;
}

async function signIn(server: NestExpressApplication, email: string) {
  const agent = request.agent(server.getHttpServer());
  const res = await agent.post('/api/v1/auth/login').send({ email, password: DEMO_PASSWORD });
  expect(res.status).toBe(200);
  return agent;
}

async function countPeople(server: NestExpressApplication): Promise<number> {
  const admin = await signIn(server, 'admin@demo.tandem');
  const res = await admin.get('/api/v1/users?limit=200&includeInactive=true');
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items.length as number;
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tandem-embedded-'));
});

afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the embedded database', () => {
  const key = uniqueKey('E');
  let peopleAtFirstStart = 0;

  it('starts on an empty DATA_DIR with the demo organisation, and a program can be created', async () => {
    const first = await start();
    expect((await request(first.getHttpServer()).get('/health/ready')).body).toEqual({ status: 'ok', database: 'ok', migrations: 'applied', redis: 'disabled' });
    peopleAtFirstStart = await countPeople(first);
    expect(peopleAtFirstStart).toBe(6);

    const pm = await signIn(first, 'pm@demo.tandem');
    const created = await pm.post('/api/v1/programs').send({ key, name: 'Survives a restart', startDate: '2030-01-01' });
    expect([200, 201]).toContain(created.status);
    await stop();
  }, 120_000);

  it('keeps the data across a restart on the same DATA_DIR, without seeding the demo twice', async () => {
    const second = await start();
    expect((await request(second.getHttpServer()).get('/health/ready')).status).toBe(200);

    const pm = await signIn(second, 'pm@demo.tandem');
    const res = await pm.get(`/api/v1/programs/${key}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key, name: 'Survives a restart', startDate: '2030-01-01', myRole: 'owner' });

    expect(await countPeople(second)).toBe(peopleAtFirstStart);
    const programs = await pm.get('/api/v1/programs?limit=200');
    expect((programs.body.items as { key: string }[]).map((p) => p.key).sort()).toEqual(['KB', 'QA', 'VOU', 'WFM', key].sort());
    const teams = await pm.get('/api/v1/teams');
    expect(teams.body.items).toHaveLength(6);
  }, 120_000);

  it('keeps sessions across a restart (the generated secret lives in DATA_DIR)', async () => {
    const server = app ?? (await start());
    const login = await request(server.getHttpServer()).post('/api/v1/auth/login').send({ email: 'leader@demo.tandem', password: DEMO_PASSWORD });
    const cookie = login.headers['set-cookie'] as unknown as string[];
    await stop();
    const again = await start();
    const me = await request(again.getHttpServer()).get('/api/v1/auth/me').set('Cookie', cookie[0]!.split(';')[0]!);
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('leader@demo.tandem');
  }, 120_000);
});
