import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/bootstrap';
import { startTestApp, type TestApp } from './harness';

/**
 * Property-based fuzzing of every JSON body the API accepts, found from the OpenAPI document so a
 * new route is fuzzed without anyone remembering to add it. Real: the whole app, PostgreSQL,
 * argon2, an admin session (the widest access, so bodies reach the services). The only claim: no
 * body a client can send gets a 5xx.
 */
type Schema = { type?: string; properties?: Record<string, Schema>; enum?: unknown[]; items?: Schema; format?: string };
interface Operation {
  method: 'post' | 'put' | 'patch';
  path: string;
  schema: Schema;
}

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 25);

function operations(doc: ReturnType<typeof openApiDocument>): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['post', 'put', 'patch'] as const) {
      const op = item[method];
      const content = (op?.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content;
      const schema = content?.['application/json']?.schema;
      if (op && schema) out.push({ method, path, schema });
    }
  }
  return out;
}

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('', ' ', '0000-01-01', '9999-99-99', '__proto__', 'A'.repeat(5000), '\u0000', '\ud800', 'QA', '{"$gt":""}'),
);

function valueFor(schema: Schema | undefined): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), leaf, { maxKeys: 3 })];
  if (schema?.enum?.length) options.push(fc.constantFrom(...schema.enum));
  if (schema?.type === 'object' && schema.properties) options.push(bodyFor(schema));
  if (schema?.type === 'array') options.push(fc.array(valueFor(schema.items), { maxLength: 4 }));
  return fc.oneof(...options);
}

function bodyFor(schema: Schema): fc.Arbitrary<unknown> {
  const keys = Object.keys(schema.properties ?? {});
  const known = fc.record(Object.fromEntries(keys.map((k) => [k, valueFor(schema.properties?.[k])])), { requiredKeys: [] });
  const withExtra = fc.tuple(known, fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'id', 'extra', 'prototype'), leaf, { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...a }));
  return fc.oneof(known, withExtra, leaf, fc.array(leaf, { maxLength: 3 }));
}

describe('every JSON body: never a 5xx (fast-check)', () => {
  let t: TestApp;
  let ops: Operation[];
  let admin: Awaited<ReturnType<TestApp['signIn']>>;

  beforeAll(async () => {
    t = await startTestApp();
    ops = operations(openApiDocument(t.app));
    admin = await t.signIn('admin@demo.tandem');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds the routes to fuzz in the OpenAPI document', () => {
    expect(ops.length).toBeGreaterThanOrEqual(10);
    expect(ops.map((o) => `${o.method} ${o.path}`)).toContain('post /api/v1/programs');
  });

  it('answers every generated body with a status below 500', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      if (op.path === '/api/v1/auth/login') continue; // fuzzed below without the admin session
      const url = op.path.replace(/\{program\}/g, 'QA').replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      await fc.assert(
        fc.asyncProperty(bodyFor(op.schema), async (body) => {
          const res = await admin[op.method](url).set('content-type', 'application/json').send(JSON.stringify(body));
          if (res.status >= 500) failures.push(`${op.method.toUpperCase()} ${url} ${JSON.stringify(body).slice(0, 200)} → ${res.status}`);
          return res.status < 500;
        }),
        { numRuns: RUNS_PER_ROUTE },
      ).catch(() => undefined);
    }
    expect(failures).toEqual([]);
    // ~25 requests for each of the JSON-body operations (28 now), one after another: more than the
    // default 30 s while other suites load the machine, and more with every route added.
  }, 180_000);

  it('answers generated sign-in bodies with 400, 401 or 429, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(bodyFor({ type: 'object', properties: { email: {}, password: {} } }), async (body) => {
        const res = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send(JSON.stringify(body));
        return [400, 401, 429].includes(res.status);
      }),
      { numRuns: 60 },
    );
  });
});
