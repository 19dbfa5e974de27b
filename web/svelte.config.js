import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { buildVersion } from './build-version.js';

/** The inline scripts of src/app.html (the theme, before first paint), allowed by their hashes; Kit covers its own with nonces. */
const appHtml = readFileSync(new URL('./src/app.html', import.meta.url), 'utf8');
const appHtmlScripts = [...appHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
  ([, code]) => /** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(code).digest('base64')}`),
);

/**
 * WEB_BUILD_DIR (the variable the api serves the web app from) builds somewhere other than
 * web/build, so a build never replaces the files a running api — a test, a benchmark — is serving.
 * Kit's working directory goes beside it (web/build → web/.svelte-kit) so two builds share nothing.
 */
const buildDir = process.env.WEB_BUILD_DIR ? resolve(process.env.WEB_BUILD_DIR) : null;

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter(buildDir ? { out: buildDir } : {}),
    ...(buildDir ? { outDir: resolve(dirname(buildDir), '.svelte-kit') } : {}),
    // The same in every process over the same sources, not Kit's per-process timestamp: vitest or
    // svelte-kit sync started during a build no longer leaves it unable to hydrate (build-version.js).
    version: { name: buildVersion(dirname(fileURLToPath(import.meta.url))) },
    // A page's stylesheets (app.css is ~19 KB) go inline in its HTML, which is compressed: the
    // first paint waits for one response, not for the HTML and then four stylesheet requests.
    inlineStyleThreshold: 32_000,
    // Scripts only from this origin (plus Kit's nonces/hashes); inline styles for Svelte transitions
    // and the editor; socket.io over ws/wss; the version preview is a sandboxed srcdoc iframe.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self', ...appHtmlScripts],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'connect-src': ['self', 'ws:', 'wss:'],
        'frame-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
