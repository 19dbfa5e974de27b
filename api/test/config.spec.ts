import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config';

/**
 * loadConfig, as a unit: no database, no app. Real: the zod schema and the file system (a temp
 * DATA_DIR per test, removed afterwards). The environment is passed in, never read from process.env.
 */

const DB = 'postgres://tandem@db.internal:5432/tandem';
const GOOD_SECRET = 'k3Jv9Qw2Zr7Lm1Np8Xs4Tb6Yc0Hd5Fg2Ue7Ia9Ko3Pl1Mn6'; // 48 characters

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-config-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The environment for a load, with the web build turned off so nothing else is looked up on disk. */
function env(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { WEB_BUILD_DIR: '', ...overrides } as NodeJS.ProcessEnv;
}

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but loadConfig returned');
}

describe('SESSION_SECRET in production with an external database', () => {
  it('refuses a missing secret, with a message that says what to set', () => {
    const error = configErrorOf(() => loadConfig(env({ NODE_ENV: 'production', DATABASE_URL: DB })));
    expect(error.message).toMatch(/SESSION_SECRET/);
    expect(error.message).toMatch(/32 characters/);
  });

  it('refuses a short secret', () => {
    const error = configErrorOf(() => loadConfig(env({ NODE_ENV: 'production', DATABASE_URL: DB, SESSION_SECRET: 'x'.repeat(31) })));
    expect(error.message).toMatch(/SESSION_SECRET/);
  });

  it.each(['change-me', 'secret', 'replace-me-with-a-long-random-string', 'REPLACE-ME-WITH-A-LONG-RANDOM-STRING'])('refuses the placeholder %j', (placeholder) => {
    const error = configErrorOf(() => loadConfig(env({ NODE_ENV: 'production', DATABASE_URL: DB, SESSION_SECRET: placeholder })));
    expect(error.message).toMatch(/SESSION_SECRET/);
  });

  it('accepts a 48-character secret and uses it as given', () => {
    const config = loadConfig(env({ NODE_ENV: 'production', DATABASE_URL: DB, SESSION_SECRET: GOOD_SECRET }));
    expect(config.sessionSecret).toBe(GOOD_SECRET);
    expect(config).toMatchObject({ env: 'production', databaseUrl: DB, seedDemo: false });
  });

  it('accepts a secret of exactly 32 characters', () => {
    const secret = GOOD_SECRET.slice(0, 32);
    expect(loadConfig(env({ NODE_ENV: 'production', DATABASE_URL: DB, SESSION_SECRET: secret })).sessionSecret).toBe(secret);
  });
});

describe('the embedded default (no DATABASE_URL)', () => {
  it('generates a secret and keeps it in DATA_DIR, so two loads agree', () => {
    const dataDir = tempDir();
    const first = loadConfig(env({ DATA_DIR: dataDir, NODE_ENV: 'test' }));
    const second = loadConfig(env({ DATA_DIR: dataDir, NODE_ENV: 'test' }));
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    const file = join(dataDir, 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    expect(statSync(file).mode & 0o077).toBe(0); // readable by the owner only
    expect(first).toMatchObject({ databaseUrl: null, dataDir, seedDemo: true });
  });

  it('creates DATA_DIR when it does not exist yet', () => {
    const dataDir = join(tempDir(), 'not', 'yet');
    const config = loadConfig(env({ DATA_DIR: dataDir }));
    expect(existsSync(join(dataDir, 'session-secret'))).toBe(true);
    expect(config.sessionSecret).toBeTruthy();
  });

  it('gives different data directories different secrets', () => {
    const a = loadConfig(env({ DATA_DIR: tempDir() }));
    const b = loadConfig(env({ DATA_DIR: tempDir() }));
    expect(a.sessionSecret).not.toBe(b.sessionSecret);
  });

  it('works in production too, without any secret given', () => {
    const dataDir = tempDir();
    const config = loadConfig(env({ NODE_ENV: 'production', DATA_DIR: dataDir }));
    expect(config.sessionSecret).toBe(loadConfig(env({ NODE_ENV: 'production', DATA_DIR: dataDir })).sessionSecret);
  });
});

describe('other settings', () => {
  it.each(['abc', '-1', '65536', '3.5'])('refuses PORT=%j, naming PORT', (port) => {
    const error = configErrorOf(() => loadConfig(env({ PORT: port, DATABASE_URL: DB, SESSION_SECRET: GOOD_SECRET })));
    expect(error.message).toMatch(/PORT/);
  });

  it('refuses a DATABASE_URL that is not a URL, naming it', () => {
    const error = configErrorOf(() => loadConfig(env({ DATABASE_URL: 'not a url', SESSION_SECRET: GOOD_SECRET })));
    expect(error.message).toMatch(/DATABASE_URL/);
  });

  it('refuses an unknown NODE_ENV and a bad boolean, naming each', () => {
    expect(configErrorOf(() => loadConfig(env({ NODE_ENV: 'staging', DATABASE_URL: DB }))).message).toMatch(/NODE_ENV/);
    expect(configErrorOf(() => loadConfig(env({ TRUST_PROXY: 'yes', DATABASE_URL: DB }))).message).toMatch(/TRUST_PROXY/);
  });

  it('reads numbers, booleans and the throttle limits', () => {
    const config = loadConfig(
      env({
        DATABASE_URL: DB,
        SESSION_SECRET: GOOD_SECRET,
        PORT: '8080',
        TRUST_PROXY: 'true',
        SEED_DEMO: '0',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '7',
        LOGIN_THROTTLE_WINDOW_SECONDS: '60',
      }),
    );
    expect(config).toMatchObject({
      port: 8080,
      trustProxy: true,
      seedDemo: false,
      loginThrottle: { maxPerAccount: 3, maxPerAddress: 7, windowSeconds: 60 },
      webBuildDir: null,
    });
  });

  it('has safe defaults', () => {
    const config = loadConfig(env({ DATABASE_URL: DB, SESSION_SECRET: GOOD_SECRET }));
    expect(config).toMatchObject({ env: 'development', port: 3000, trustProxy: false, migrateOnStart: true, seedDemo: false, sessionTtlHours: 24 * 14, keepAliveMs: 65_000 });
  });

  it.each(['0', '-5', 'soon'])('refuses HTTP_KEEP_ALIVE_SECONDS=%j, naming it', (value) => {
    expect(configErrorOf(() => loadConfig(env({ DATABASE_URL: DB, SESSION_SECRET: GOOD_SECRET, HTTP_KEEP_ALIVE_SECONDS: value }))).message).toMatch(/HTTP_KEEP_ALIVE_SECONDS/);
  });
});

describe('single sign-on (OIDC_*)', () => {
  const ISSUER = 'https://login.example.com';

  it('is off without OIDC_ISSUER, also when it is set empty', () => {
    expect(loadConfig(env({ DATABASE_URL: DB, SESSION_SECRET: GOOD_SECRET })).oidc).toBeNull();
    expect(loadConfig(env({ DATABASE_URL: DB, SESSION_SECRET: GOOD_SECRET, OIDC_ISSUER: '', OIDC_CLIENT_ID: 'x' })).oidc).toBeNull();
  });

  it('refuses to start with an issuer but no client id or secret, naming what is missing', () => {
    const noSecret = configErrorOf(() => loadConfig(env({ DATABASE_URL: DB, OIDC_ISSUER: ISSUER, OIDC_CLIENT_ID: 'tandem' })));
    expect(noSecret.message).toMatch(/OIDC_ISSUER is set, so OIDC_CLIENT_SECRET must be set too/);
    const neither = configErrorOf(() => loadConfig(env({ DATABASE_URL: DB, OIDC_ISSUER: ISSUER })));
    expect(neither.message).toMatch(/OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/);
  });

  it('refuses an http issuer other than localhost, and scopes without openid', () => {
    const base = { DATABASE_URL: DB, OIDC_CLIENT_ID: 'tandem', OIDC_CLIENT_SECRET: 's' };
    expect(configErrorOf(() => loadConfig(env({ ...base, OIDC_ISSUER: 'http://login.example.com' }))).message).toMatch(/OIDC_ISSUER: must be an https URL/);
    expect(loadConfig(env({ ...base, SESSION_SECRET: GOOD_SECRET, OIDC_ISSUER: 'http://127.0.0.1:9000' })).oidc?.issuer).toBe('http://127.0.0.1:9000');
    expect(configErrorOf(() => loadConfig(env({ ...base, OIDC_ISSUER: ISSUER, OIDC_SCOPES: 'email profile' }))).message).toMatch(/OIDC_SCOPES: must include openid/);
  });

  it('has defaults for everything but the issuer and the client', () => {
    const config = loadConfig(env({ DATABASE_URL: DB, SESSION_SECRET: GOOD_SECRET, OIDC_ISSUER: ISSUER, OIDC_CLIENT_ID: 'tandem', OIDC_CLIENT_SECRET: 's' }));
    expect(config.oidc).toEqual({
      issuer: ISSUER,
      clientId: 'tandem',
      clientSecret: 's',
      redirectUri: null,
      scopes: 'openid email profile',
      label: 'Sign in with SSO',
      createUsers: false,
    });
  });
});
