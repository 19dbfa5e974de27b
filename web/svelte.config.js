import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** The inline scripts of src/app.html (the theme, before first paint), allowed by their hashes; Kit covers its own with nonces. */
const appHtml = readFileSync(new URL('./src/app.html', import.meta.url), 'utf8');
const appHtmlScripts = [...appHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
  ([, code]) => /** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(code).digest('base64')}`),
);

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter(),
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
