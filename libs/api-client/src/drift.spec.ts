import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { DOCUMENT, SCHEMA, generateTypes } from '../scripts/generate.mjs';

/**
 * The committed OpenAPI document and the types generated from it must match what the api says
 * today. Both are regenerated into a temp dir from the built api (this test's Nx target builds it
 * first) and compared byte for byte with the committed files.
 */
const SCRIPT = fileURLToPath(new URL('../../../api/dist/bin/openapi.js', import.meta.url));
const FIX = 'run `npm run api-client:generate`';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-api-client-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Line number and both versions of the first line that differs, to say where to look. */
function firstDifference(committed: string, current: string): string {
  const a = committed.split('\n');
  const b = current.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `first difference at line ${at + 1}:\n  committed: ${a[at] ?? '(end of file)'}\n  current:   ${b[at] ?? '(end of file)'}`;
}

function assertSame(file: string, committed: string, current: string): void {
  if (committed !== current) throw new Error(`${file} is out of date: ${FIX}\n${firstDifference(committed, current)}`);
}

describe('generated api client', () => {
  it('api/openapi.json matches the api', async () => {
    if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: build the api first (npx nx run @tandem/api:build)`);
    const out = join(dir, 'openapi.json');
    await promisify(execFile)(process.execPath, [SCRIPT, out], { timeout: 60_000 });
    assertSame('api/openapi.json', readFileSync(DOCUMENT, 'utf8'), readFileSync(out, 'utf8'));
  }, 90_000);

  it('libs/api-client/src/schema.ts matches api/openapi.json', async () => {
    const document = join(dir, 'openapi.json');
    const types = await generateTypes(existsSync(document) ? document : DOCUMENT);
    writeFileSync(join(dir, 'schema.ts'), types);
    assertSame('libs/api-client/src/schema.ts', readFileSync(SCHEMA, 'utf8'), types);
  });
});
