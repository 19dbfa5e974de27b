/**
 * During SSR a load function fetches `/api/...` on the page's own origin. SvelteKit would answer a
 * same-origin fetch itself (and find no such route), so such requests are sent to the api over
 * loopback instead: to TANDEM_INTERNAL_ORIGIN, which the api sets when it mounts this app.
 * SvelteKit does not pass cookies to another origin, so the incoming request's cookie header is
 * copied on: the session cookie is what identifies the person to the api.
 */

/** Whether a server-side fetch is for the api on the page's own origin. */
export function isOwnApiRequest(request: Request, pageOrigin: string): boolean {
  const url = new URL(request.url);
  return url.origin === pageOrigin && url.pathname.startsWith('/api/');
}

/** The same request, addressed to the api at `internalOrigin` and carrying `incomingCookie`. */
export function internalApiRequest(request: Request, internalOrigin: string, incomingCookie: string | null): Request {
  const url = new URL(request.url);
  const target = new URL(`${url.pathname}${url.search}`, internalOrigin);
  const headers = new Headers(request.headers);
  if (incomingCookie) headers.set('cookie', incomingCookie);
  else headers.delete('cookie');
  // the api sees an ordinary same-site request
  headers.delete('origin');

  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers,
    redirect: 'manual',
    signal: request.signal,
  };
  if (request.method !== 'GET' && request.method !== 'HEAD' && request.body) {
    init.body = request.body;
    init.duplex = 'half';
  }
  return new Request(target, init);
}

/** What a load function gets when the web runs without the api (e.g. `node build` on its own). */
export function apiUnavailable(): Response {
  return new Response(JSON.stringify({ statusCode: 503, message: 'The Tandem api is not available' }), {
    status: 503,
    headers: { 'content-type': 'application/json' },
  });
}
