/**
 * The app's version (SvelteKit's `version.name`) is what every Kit process writes into
 * .svelte-kit/generated/server/internal.js; a build only hydrates when its server and client halves
 * agree on it, so a vitest or `svelte-kit sync` started during a build must compute the same one.
 * Real child processes load the real svelte.config.js; the hashing runs over a temporary directory.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildVersion } from '../build-version.js';

const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));

const run = promisify(execFile);

/** kit.version.name as a separate node process loading svelte.config.js sees it. */
async function versionInAnotherProcess(): Promise<string> {
  const script = "const { default: c } = await import('./svelte.config.js'); console.log(JSON.stringify(c.kit.version?.name ?? null));";
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: WEB_DIR });
  return JSON.parse(stdout.trim()) as string;
}

describe('the build version', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function sources(): string {
    const root = mkdtempSync(join(tmpdir(), 'tandem-version-'));
    dirs.push(root);
    mkdirSync(join(root, 'src/lib'), { recursive: true });
    writeFileSync(join(root, 'src/app.html'), '<html></html>');
    writeFileSync(join(root, 'src/lib/a.ts'), 'export const a = 1;');
    writeFileSync(join(root, 'package.json'), '{}');
    return root;
  }
  const version = (root: string) => buildVersion(root, ['src', 'static', 'package.json']);

  it('is the same in two processes that load svelte.config.js, not a timestamp of each', async () => {
    const first = await versionInAnotherProcess();
    const second = await versionInAnotherProcess();
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(second).toBe(first);
  });

  it('changes with a source file, a new file or a rename', () => {
    const root = sources();
    const start = version(root);
    expect(version(root)).toBe(start);

    writeFileSync(join(root, 'src/lib/a.ts'), 'export const a = 2;');
    const edited = version(root);
    expect(edited).not.toBe(start);

    writeFileSync(join(root, 'src/lib/b.ts'), '');
    const added = version(root);
    expect(added).not.toBe(edited);

    renameSync(join(root, 'src/lib/b.ts'), join(root, 'src/lib/c.ts'));
    expect(version(root)).not.toBe(added);
  });

  it('leaves out tests and dotfiles, which are not built', () => {
    const root = sources();
    const start = version(root);
    writeFileSync(join(root, 'src/lib/a.spec.ts'), 'it()');
    writeFileSync(join(root, 'src/lib/.a.ts.swp'), 'x');
    expect(version(root)).toBe(start);
  });
});
