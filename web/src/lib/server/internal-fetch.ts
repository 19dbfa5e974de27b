/**
 * During SSR a load function fetches `/api/...` on the page's own origin. SvelteKit would answer a
 * same-origin fetch itself (and find no such route), so such requests are sent to the api over
 * loopback instead: to TANDEM_INTERNAL_ORIGIN, which the api sets when it mounts this app.
 * SvelteKit does not pass cookies to another origin, so the incoming request's cookie header is
 * copied on: the session cookie is what identifies the person to the api.
 */
export function internalApiRequest(
  request: Request,
  pageOrigin: string,
  internalOrigin: string | undefined,
  incomingCookie: string | null,
): Request | null {
  if (!internalOrigin) return null;
  const url = new URL(request.url);
  if (url.origin !== pageOrigin || !url.pathname.startsWith('/api/')) return null;

  const target = new URL(`${url.pathname}${url.search}`, internalOrigin);
  const headers = new Headers(request.headers);
  if (incomingCookie) headers.set('cookie', incomingCookie);
  else headers.delete('cookie');
  // the api sees an ordinary same-site request from its own origin
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
