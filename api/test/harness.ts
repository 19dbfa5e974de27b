import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import request from 'supertest';
import { createApp, type CreateAppOptions } from '../src/bootstrap';
import { loadConfig, type AppConfig } from '../src/config/config';

/**
 * What is real here: PostgreSQL (TEST_DATABASE_URL, default the local server), the whole Nest app
 * with its migrations, argon2, cookies and HTTP through Supertest. Each test file gets a database
 * of its own, created here and dropped in `close()`.
 */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  orm: MikroORM;
  http: () => ReturnType<typeof request>;
  /** signs in and returns a supertest agent that carries the session cookie */
  signIn(email: string, password?: string): Promise<ReturnType<typeof request.agent>>;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tandem_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

/** The app's settings in tests: a throwaway secret, quiet logs, no web app, no REST rate limit — and `env` over them. */
export function testConfig(env: Record<string, string>): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    SEED_DEMO: '1',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    LOG_LEVEL: 'error',
    WEB_BUILD_DIR: '',
    // A test's burst of requests from one session is not what the REST rate limit is for; the
    // tests of the limit itself (security.spec.ts) turn it on.
    API_RATE_PER_MINUTE: '0',
    ...env,
  });
}

/** A test's handle on an app already created; `close()` closes it, then runs `afterClose`. */
export function testApp(app: NestExpressApplication, config: AppConfig, afterClose: () => Promise<void> = async () => {}): TestApp {
  const server = app.getHttpServer();
  return {
    app,
    config,
    orm: app.get(MikroORM),
    http: () => request(server),
    async signIn(email, password = 'demo-password') {
      const agent = request.agent(server);
      const res = await agent.post('/api/v1/auth/login').send({ email, password });
      if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return agent;
    },
    async close() {
      await app.close();
      await afterClose();
    },
  };
}

export async function startTestApp(env: Record<string, string> = {}, options: Omit<CreateAppOptions, 'serveWeb'> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: db.url, ...env });
  let app: NestExpressApplication;
  try {
    app = await createApp(config, { ...options, serveWeb: false });
  } catch (error) {
    await db.drop();
    throw error;
  }
  return testApp(app, config, () => db.drop());
}
