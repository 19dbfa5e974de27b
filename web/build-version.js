import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * What a build of the web app is made from, relative to web/: its sources and settings, the
 * dependency versions, and the shared libs' sources (their dist is built from them).
 */
export const BUILD_INPUTS = [
  'src',
  'static',
  'svelte.config.js',
  'build-version.js',
  'vite.config.ts',
  'package.json',
  'tsconfig.json',
  '../package-lock.json',
  '../libs/api-client/src',
  '../libs/api-client/package.json',
  '../libs/collab-protocol/src',
  '../libs/collab-protocol/package.json',
  '../libs/domain/src',
  '../libs/domain/package.json',
];

/** Dotfiles (editor swap files, .DS_Store) and tests are not part of a build. @param {string} name */
const skipped = (name) => name.startsWith('.') || /\.spec\.[cm]?[jt]s$/.test(name);

/** @param {string} path @param {string[]} files */
function collect(path, files) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return; // an input that is not there (e.g. no static/) adds nothing
  }
  if (stats.isFile()) {
    files.push(path);
    return;
  }
  if (!stats.isDirectory()) return;
  for (const name of readdirSync(path).sort()) if (!skipped(name)) collect(join(path, name), files);
}

/**
 * SvelteKit's `version.name` for a build: a hash of the files it is built from (`inputs`, relative
 * to `root`), so every process that loads svelte.config.js over the same sources gets the same one.
 *
 * Kit's default is the time its config was loaded, so it differs per process, and every Kit process
 * (`vite build`, vitest, `svelte-kit sync` in the typecheck, `vite dev`) rewrites
 * .svelte-kit/generated/server/internal.js with its own. When that lands during a `vite build`, the
 * server bundle declares `__sveltekit_<one>` while the client reads `__sveltekit_<other>`: every
 * page is rendered but never hydrates ("Cannot read properties of undefined (reading 'data')").
 * With one version per set of sources those writes change nothing; a change to any input still
 * gives a new version, which Kit needs to tell an open tab that a new build was deployed.
 *
 * @param {string} root
 * @param {readonly string[]} [inputs]
 * @returns {string}
 */
export function buildVersion(root, inputs = BUILD_INPUTS) {
  /** @type {string[]} */
  const files = [];
  for (const input of inputs) collect(join(root, input), files);
  const hash = createHash('sha256');
  for (const file of files) {
    // the name too, so a rename is a new version; '/' whatever the platform
    hash.update(`${relative(root, file).split(sep).join('/')}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
