import { isHttpError, isRedirect } from '@sveltejs/kit';
import { SvelteMap } from 'svelte/reactivity';
import { browser } from '$app/environment';
import { page } from '$app/state';
import { liveStatus } from './live.svelte';
import { isSignInRedirect } from './load';

/**
 * Pages that refresh in the background (a live event, then `invalidate`) rerun their load
 * functions. A load that throws there would make SvelteKit swap the page someone is working on —
 * a half-filled form, a plan being read — for the error page, over a wifi flap or a member removal.
 * A load wrapped in `keepOnRefresh` instead keeps what is on screen when it fails while refreshing
 * that same page, and says so here: `RefreshNotice` shows it and retries, the program workspace
 * turns a "not found" into "your access was removed". A first load, or a navigation to another
 * page, fails as before (there is nothing to keep).
 *
 * A refresh that finds the session gone (expired, signed out in another tab) keeps the page too —
 * the status update half typed there is not lost to the sign-in page — and says so in the app's
 * "Your session has ended. Sign in again" banner (`liveStatus.signedOut`), not in RefreshNotice:
 * retrying would not help. Any other redirect is never held back.
 */

type Data = Record<string, unknown>;

interface Kept {
  /** the data the failed refresh kept on screen */
  data: Data;
  /** when that data was loaded (ms since the epoch) */
  loadedAt: number;
  /** 403 or 404: the page itself is gone for this person (access removed), not just unreachable */
  gone: boolean;
  message: string;
}

/** By load function: the refreshes that failed and kept their page's data. */
const kept = new SvelteMap<object, Kept>();

export interface RefreshProblem {
  /** the oldest of the data kept on screen */
  loadedAt: Date;
  gone: boolean;
  message: string;
}

/**
 * What failed in the last refresh of the page on screen, or null when it is up to date. Reactive;
 * data a failed refresh kept counts only while it is still on screen (not after going elsewhere).
 */
export function refreshProblem(): RefreshProblem | null {
  let problem: RefreshProblem | null = null;
  for (const k of kept.values()) {
    if (!onScreen(k.data)) continue;
    if (!problem) problem = { loadedAt: new Date(k.loadedAt), gone: k.gone, message: k.message };
    else {
      if (k.loadedAt < problem.loadedAt.getTime()) problem.loadedAt = new Date(k.loadedAt);
      problem.gone ||= k.gone;
    }
  }
  return problem;
}

/**
 * Whether `data` is what the page shows: SvelteKit spreads each load's result into `page.data`,
 * so every value is the very same object. (A load whose keys a child load overrides never
 * matches, and fails as it would without this wrapper.)
 */
function onScreen(data: Data): boolean {
  const shown = page.data as Data;
  const keys = Object.keys(data);
  return keys.length > 0 && keys.every((key) => shown[key] === data[key]);
}

interface LoadEventLike {
  url: URL;
  untrack<T>(fn: () => T): T;
}

/**
 * Wraps a universal load function (see above). Use it for every load of a page that refreshes in
 * the background, layouts included: `invalidateAll` reruns them all.
 */
export function keepOnRefresh<E extends LoadEventLike, T extends Data>(load: (event: E) => Promise<T>): (event: E) => Promise<T> {
  const id = {};
  // Browser only: on the server this module is shared by every request (and every person).
  let last: { data: T; at: number } | null = null;
  return async (event) => {
    try {
      const data = await load(event);
      if (browser) {
        last = { data, at: Date.now() };
        kept.delete(id);
      }
      return data;
    } catch (e) {
      // A refresh reruns the load for the address on screen (read untracked: reading the url
      // would make the load rerun on every navigation), with its last data still showing.
      const refreshing = browser && last !== null && event.untrack(() => event.url.href) === page.url.href && onScreen(last.data);
      if (!refreshing || !last) throw e;
      if (isSignInRedirect(e)) {
        liveStatus.signedOut = true;
        return last.data;
      }
      if (isRedirect(e)) throw e;
      const status = isHttpError(e) ? e.status : 0;
      const message = isHttpError(e) ? e.body.message : e instanceof Error ? e.message : 'unknown error';
      kept.set(id, { data: last.data, loadedAt: last.at, gone: status === 403 || status === 404, message });
      return last.data;
    }
  };
}
