import { error, isRedirect, redirect } from '@sveltejs/kit';
import { ApiError } from './api';

/** `/login?next=<where the person was>` (just `/login` from the programs list). */
export function loginUrl(url: URL): string {
  const here = `${url.pathname}${url.search}`;
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

/** Whether `e` is the redirect `failLoad` throws when the session is gone (to the sign-in page). */
export function isSignInRedirect(e: unknown): boolean {
  return isRedirect(e) && new URL(e.location, 'http://x').pathname === '/login';
}

/**
 * Turns a failed api call inside a load function into what SvelteKit should do: back to sign-in
 * when the session is gone, otherwise an error page carrying the api's message.
 * `url` must be read untracked by the caller so the load does not rerun on every navigation.
 */
export function failLoad(e: unknown, url: URL, notFound = 'Not found'): never {
  if (e instanceof ApiError) {
    if (e.status === 401) redirect(303, loginUrl(url));
    if (e.status === 404) error(404, notFound);
    if (e.status === 0) error(503, e.message);
    error(e.status >= 400 && e.status <= 599 ? e.status : 500, e.message);
  }
  throw e;
}
