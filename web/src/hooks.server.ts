import { dev } from '$app/environment';
import type { Handle, HandleFetch } from '@sveltejs/kit';
import { apiUnavailable, internalApiRequest, isOwnApiRequest } from '$lib/server/internal-fetch';

/**
 * The api origin to use for server-side fetches of `/api/...`. The api sets TANDEM_INTERNAL_ORIGIN
 * when it mounts this app; under `vite dev` the api runs next to it on port 3000 (or
 * TANDEM_API_ORIGIN). Read per request: the api may set it after this module is loaded.
 */
function internalOrigin(): string | undefined {
  return process.env.TANDEM_INTERNAL_ORIGIN || (dev ? (process.env.TANDEM_API_ORIGIN ?? 'http://127.0.0.1:3000') : undefined);
}

/** Response headers that `$lib/api` reads, so they travel with responses fetched during SSR. */
const SERIALIZED_HEADERS = new Set(['content-type', 'retry-after']);

export const handle: Handle = ({ event, resolve }) =>
  resolve(event, { filterSerializedResponseHeaders: (name) => SERIALIZED_HEADERS.has(name) });

export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  if (!isOwnApiRequest(request, event.url.origin)) return fetch(request);
  const origin = internalOrigin();
  // Without the api SvelteKit would pass the request on to its own public origin, which may not
  // resolve from here: answer plainly instead.
  if (!origin) return apiUnavailable();
  return fetch(internalApiRequest(request, origin, event.request.headers.get('cookie')));
};
