import { dev } from '$app/environment';
import type { HandleFetch } from '@sveltejs/kit';
import { internalApiRequest } from '$lib/server/internal-fetch';

/**
 * The api origin to use for server-side fetches of `/api/...`. The api sets TANDEM_INTERNAL_ORIGIN
 * when it mounts this app; under `vite dev` the api runs next to it on port 3000 (or
 * TANDEM_API_ORIGIN). Read per request: the api may set it after this module is loaded.
 */
function internalOrigin(): string | undefined {
  return process.env.TANDEM_INTERNAL_ORIGIN || (dev ? (process.env.TANDEM_API_ORIGIN ?? 'http://127.0.0.1:3000') : undefined);
}

export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const rewritten = internalApiRequest(request, event.url.origin, internalOrigin(), event.request.headers.get('cookie'));
  return fetch(rewritten ?? request);
};
