import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Every setting Tandem reads, from the environment, validated once at start-up. `.env.example`
 * and the README's configuration table list the same names; keep the three together.
 */
const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
/** An empty value counts as unset (compose files and `.env` often write `NAME=`). */
const unsetIfEmpty = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const urlOf = (value: string): URL | null => {
  try {
    return new URL(value);
  } catch {
    return null;
  }
};
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** https, or http on this machine only (a provider run locally, or in tests). */
const secureUrl = z
  .string()
  .url()
  .refine((v) => {
    const url = urlOf(v);
    return !url || url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  }, 'must be an https URL (http only for localhost)');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  SEED_DEMO: bool.optional(),
  MIGRATE_ON_START: bool.default(true),
  SESSION_SECRET: z.string().optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24 * 14),
  TRUST_PROXY: bool.default(false),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  WEB_BUILD_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'log', 'warn', 'error']).default('log'),
  DB_DEBUG: bool.default(false),
  REDIS_URL: z.string().url().optional(),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits and : _ . - only').default('tandem'),
  COLLAB_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  COLLAB_COMPACT_AFTER: z.coerce.number().int().min(1).default(500),
  COLLAB_UPDATES_PER_SECOND: z.coerce.number().int().min(1).default(200),
  COLLAB_AWARENESS_PER_SECOND: z.coerce.number().int().min(1).default(60),
  METRICS_ENABLED: bool.default(false),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  PUBLIC_ORIGIN: z
    .string()
    .url()
    .refine((v) => /^https?:\/\/[^/]+\/?$/.test(v), 'must be an origin: scheme, host and optional port, no path')
    .optional(),
  HSTS: z.enum(['auto', 'always', 'off']).default('auto'),
  API_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  API_RATE_BURST: z.coerce.number().int().min(1).default(200),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  HTTP_KEEP_ALIVE_SECONDS: z.coerce.number().int().min(1).max(3600).default(65),
  OIDC_ISSUER: unsetIfEmpty(secureUrl),
  OIDC_CLIENT_ID: unsetIfEmpty(z.string()),
  OIDC_CLIENT_SECRET: unsetIfEmpty(z.string()),
  OIDC_REDIRECT_URI: unsetIfEmpty(
    z
      .string()
      .url()
      .refine((v) => {
        const url = urlOf(v);
        return !url || (/^https?:$/.test(url.protocol) && !url.hash);
      }, 'must be an http(s) URL without a fragment'),
  ),
  OIDC_SCOPES: z
    .string()
    .trim()
    .default('openid email profile')
    .refine((v) => v.split(/\s+/).includes('openid'), 'must include openid'),
  OIDC_LABEL: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters').default('Sign in with SSO'),
  OIDC_CREATE_USERS: bool.default(false),
});

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** null: use the embedded PostgreSQL (PGlite) under dataDir */
  databaseUrl: string | null;
  dataDir: string;
  seedDemo: boolean;
  migrateOnStart: boolean;
  sessionSecret: string;
  sessionTtlHours: number;
  trustProxy: boolean;
  loginThrottle: { maxPerAccount: number; maxPerAddress: number; windowSeconds: number };
  /** directory of the built SvelteKit app (adapter-node output); null: do not serve the web app */
  webBuildDir: string | null;
  logLevel: 'debug' | 'log' | 'warn' | 'error';
  /** log every SQL statement the ORM sends, with its parameters (diagnosis and benchmarks, not production) */
  dbDebug: boolean;
  /** null: single node, in-memory socket.io adapter */
  redisUrl: string | null;
  /** namespaces every Redis channel and connection name, so deployments (or test runs) can share a server */
  redisPrefix: string;
  collab: {
    /** largest `y` message accepted, in bytes */
    maxMessageBytes: number;
    /** fold a document's log into its snapshot once it has this many rows */
    compactAfter: number;
    /** sustained rate per socket (bursts of twice as many are allowed) */
    updatesPerSecond: number;
    awarenessPerSecond: number;
  };
  /** serve Prometheus metrics at /metrics; with a token, only to `Authorization: Bearer <token>` */
  metrics: { enabled: boolean; token: string | null };
  /** OTLP traces are exported (OTEL_EXPORTER_OTLP_ENDPOINT is set; the OTel SDK reads the other OTEL_* itself) */
  tracing: boolean;
  /** the origin browsers reach the app at (e.g. https://tandem.example.com); null: the request's own Host */
  publicOrigin: string | null;
  /** auto: Strict-Transport-Security on requests that came over https through a trusted proxy; always; off */
  hsts: 'auto' | 'always' | 'off';
  /** REST requests per caller (session, API token, or client address): sustained per minute (0: no limit) and burst */
  apiRate: { perMinute: number; burst: number };
  /** SIGTERM: how long to wait for document writes and open requests before exiting anyway */
  shutdownTimeoutMs: number;
  /** how long an idle HTTP keep-alive connection stays open (longer than any proxy in front keeps its own) */
  keepAliveMs: number;
  /** sign-in with an OpenID Connect provider, alongside passwords; null: off (OIDC_ISSUER unset) */
  oidc: OidcConfig | null;
}

export interface OidcConfig {
  /** the issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration` */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** the callback registered at the provider; null: PUBLIC_ORIGIN (or the request's origin) + /api/v1/auth/oidc/callback */
  redirectUri: string | null;
  /** space-separated, always with `openid` */
  scopes: string;
  /** the sign-in button's text */
  label: string;
  /** true: a verified email nobody uses yet gets a new org `member` account; false: only existing accounts may sign in */
  createUsers: boolean;
}

export class ConfigError extends Error {}

const MIN_SECRET_LENGTH = 32;
const PLACEHOLDER_SECRETS = new Set(['change-me', 'changeme', 'secret', 'replace-me-with-a-long-random-string']);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${detail}`);
  }
  const e = parsed.data;
  const embedded = !e.DATABASE_URL;
  const dataDir = resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir,
    seedDemo: e.SEED_DEMO ?? embedded,
    migrateOnStart: e.MIGRATE_ON_START,
    sessionSecret: sessionSecret(e.SESSION_SECRET, e.NODE_ENV, embedded, dataDir),
    sessionTtlHours: e.SESSION_TTL_HOURS,
    trustProxy: e.TRUST_PROXY,
    loginThrottle: {
      maxPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: e.LOGIN_THROTTLE_WINDOW_SECONDS,
    },
    webBuildDir: webBuildDir(e.WEB_BUILD_DIR),
    logLevel: e.LOG_LEVEL,
    dbDebug: e.DB_DEBUG,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    collab: {
      maxMessageBytes: e.COLLAB_MAX_MESSAGE_BYTES,
      compactAfter: e.COLLAB_COMPACT_AFTER,
      updatesPerSecond: e.COLLAB_UPDATES_PER_SECOND,
      awarenessPerSecond: e.COLLAB_AWARENESS_PER_SECOND,
    },
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN ?? null },
    tracing: Boolean(e.OTEL_EXPORTER_OTLP_ENDPOINT),
    publicOrigin: e.PUBLIC_ORIGIN ? new URL(e.PUBLIC_ORIGIN).origin : null,
    hsts: e.HSTS,
    apiRate: { perMinute: e.API_RATE_PER_MINUTE, burst: e.API_RATE_BURST },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    keepAliveMs: e.HTTP_KEEP_ALIVE_SECONDS * 1000,
    oidc: oidcConfig(e),
  };
}

/** OIDC is on when OIDC_ISSUER is set; then the client id and secret are required, not guessed. */
function oidcConfig(e: z.output<typeof envSchema>): OidcConfig | null {
  if (!e.OIDC_ISSUER) return null;
  const { OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = e;
  if (!clientId || !clientSecret) {
    const missing = [clientId ? null : 'OIDC_CLIENT_ID', clientSecret ? null : 'OIDC_CLIENT_SECRET'].filter(Boolean).join(' and ');
    throw new ConfigError(
      `OIDC_ISSUER is set, so ${missing} must be set too: the client id and secret registered for Tandem at ${e.OIDC_ISSUER} ` +
        '(or unset OIDC_ISSUER to sign in with passwords only)',
    );
  }
  return {
    issuer: e.OIDC_ISSUER,
    clientId,
    clientSecret,
    redirectUri: e.OIDC_REDIRECT_URI ?? null,
    scopes: e.OIDC_SCOPES.split(/\s+/).join(' '),
    label: e.OIDC_LABEL,
    createUsers: e.OIDC_CREATE_USERS,
  };
}

/**
 * Production with a real database must be given a real secret. The embedded default keeps a
 * generated one beside its data, so sessions survive a restart without any setup.
 */
function sessionSecret(given: string | undefined, nodeEnv: string, embedded: boolean, dataDir: string): string {
  const weak = !given || given.length < MIN_SECRET_LENGTH || PLACEHOLDER_SECRETS.has(given.toLowerCase());
  if (!weak) return given;
  if (nodeEnv === 'production' && !embedded) {
    throw new ConfigError(
      `SESSION_SECRET must be set to a random string of at least ${MIN_SECRET_LENGTH} characters in production ` +
        '(for example: openssl rand -base64 48)',
    );
  }
  if (given) return given;
  if (!embedded) return randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function webBuildDir(given: string | undefined): string | null {
  if (given === '') return null;
  const dir = resolve(given ?? join(__dirname, '..', '..', '..', 'web', 'build'));
  return existsSync(join(dir, 'handler.js')) ? dir : null;
}
