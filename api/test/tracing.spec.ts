import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiProcess, waitFor, type ApiProcess } from './collab-harness';
import { createTestDatabase } from './harness';

/**
 * OpenTelemetry. Real: separate Node processes (src/ as tsc compiles it), and for the export a
 * small OTLP/HTTP receiver started here that the api sends its spans to. Not covered: a real
 * collector or tracing backend, sampling settings, and the OTLP/protobuf or gRPC protocols.
 */
const API = join(__dirname, '..');

describe('tracing', () => {
  it('loads nothing of OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is unset', async () => {
    const script = [
      "const { tracing } = require('./src/observability/tracing-start.ts');",
      "require('./src/bootstrap.ts');",
      // prom-client requires the API facade (@opentelemetry/api, a no-op without an SDK) for exemplars: not counted.
      "const loaded = Object.keys(require.cache).filter((k) => /@opentelemetry\\/(?!api\\/)|in-the-middle|otel\\.ts$/.test(k));",
      "const patched = Boolean(require('node:http').request.__wrapped || require('node:http').Server.prototype.emit.__wrapped);",
      'console.log(JSON.stringify({ tracing, loaded, patched, modules: Object.keys(require.cache).length }));',
    ].join('\n');
    const run = async (env: Record<string, string>) => {
      const { stdout } = await promisify(execFile)(process.execPath, ['-r', './test/ts-register.cjs', '-e', script], {
        cwd: API,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      });
      return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { tracing: unknown; loaded: string[]; patched: boolean; modules: number };
    };
    const off = await run({});
    expect(off.tracing).toBeNull();
    expect(off.loaded).toEqual([]);
    expect(off.patched).toBe(false);
    // The app itself was loaded, so nothing in it pulls OpenTelemetry in.
    expect(off.modules).toBeGreaterThan(500);
    // The same check sees the SDK when it is configured (so the check above is not vacuous).
    const on = await run({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(on.tracing).not.toBeNull();
    expect(on.loaded.length).toBeGreaterThan(20);
    expect(on.patched).toBe(true);
  }, 180_000);

  describe('with an OTLP endpoint', () => {
    let receiver: Server;
    const received: unknown[] = [];
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    let api: ApiProcess | undefined;
    beforeAll(async () => {
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          if (req.url === '/v1/traces') received.push(JSON.parse(Buffer.concat(chunks).toString()));
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      db = await createTestDatabase();
    });
    afterAll(async () => {
      api?.kill('SIGKILL');
      receiver?.close();
      await db?.drop();
    });

    it('exports spans for incoming requests, Express routing and PostgreSQL queries, named by OTEL_SERVICE_NAME', async () => {
      const address = receiver.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      api = await startApiProcess({
        NODE_ENV: 'test',
        DATABASE_URL: db.url,
        SEED_DEMO: '1',
        SESSION_SECRET: 'tracing-test-secret-tracing-test-secret-01',
        LOG_LEVEL: 'warn',
        WEB_BUILD_DIR: '',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_SERVICE_NAME: 'tandem-under-test',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
      const login = await fetch(`${api.origin}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'pm@demo.tandem', password: 'demo-password' }),
      });
      const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      expect((await fetch(`${api.origin}/api/v1/programs`, { headers: { cookie } })).status).toBe(200);
      await fetch(`${api.origin}/health/live`);

      const spans = () =>
        received.flatMap((body) =>
          ((body as { resourceSpans?: { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans?: { scope?: { name?: string }; spans?: { name: string }[] }[] }[] }).resourceSpans ?? []).flatMap((rs) =>
            (rs.scopeSpans ?? []).flatMap((ss) =>
              (ss.spans ?? []).map((s) => ({ name: s.name, scope: ss.scope?.name ?? '', service: rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue })),
            ),
          ),
        );
      await waitFor(() => spans().some((s) => s.name === 'GET /api/v1/programs'), 10_000, 'the request span');
      await waitFor(() => spans().some((s) => s.scope.includes('instrumentation-pg')), 10_000, 'a PostgreSQL span');
      const all = spans();
      expect(all.every((s) => s.service === 'tandem-under-test')).toBe(true);
      expect(all.some((s) => s.scope.includes('instrumentation-express'))).toBe(true);
      // Probes are not traced.
      expect(all.some((s) => s.name.includes('/health'))).toBe(false);
    }, 180_000);
  });
});
