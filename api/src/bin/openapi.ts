import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import { openApiDocument } from '../bootstrap';
import { loadConfig } from '../config/config';
import { externalPostgres } from '../database/embedded';

/**
 * Writes the OpenAPI document to `api/openapi.json` (or the file named as the first argument), the
 * committed source of `libs/api-client`. Run it with `npm run api-client:generate` from the root.
 */

/** Never connected to: Nest's preview mode reads the modules without creating any provider. */
const UNUSED_DATABASE = 'postgres://openapi@127.0.0.1:1/unused';

/** The app's modules and routes, with nothing instantiated: enough to describe it, not to run it. */
export function previewApp(): Promise<NestExpressApplication> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', WEB_BUILD_DIR: '', DATABASE_URL: UNUSED_DATABASE });
  return NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, externalPostgres(UNUSED_DATABASE)), {
    preview: true,
    abortOnError: false,
    logger: ['error', 'fatal'],
  });
}

/**
 * The document the running app serves at /api/docs-json, built without booting it: in preview mode
 * Nest scans modules, controllers and their decorators but instantiates nothing, so no database,
 * Redis or port is involved and it takes a second.
 */
export async function generateOpenApi(): Promise<OpenAPIObject> {
  const app = await previewApp();
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}

/** Keys whose children keep the order they were written in: a schema's properties read as declared. */
const ORDERED = new Set(['properties']);

function sortKeys(value: unknown, keepOrder = false): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (!keepOrder) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, child]) => [key, sortKeys(child, !keepOrder && ORDERED.has(key))]));
}

/**
 * Stable, reviewable JSON: two-space indent, a trailing newline, object keys sorted except where
 * order carries meaning (array items, and the properties of a schema).
 */
export function stableJson(document: unknown): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'openapi.json'));
  const document = await generateOpenApi();
  writeFileSync(out, stableJson(document));
  console.log(`OpenAPI document (${Object.keys(document.paths).length} paths) written to ${relative(process.cwd(), out) || out}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
