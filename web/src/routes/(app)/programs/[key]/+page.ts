import { ApiError, listMembers } from '$lib/api';
import { failLoad } from '$lib/load';
import { getCalendarFeed, listShareLinks, listUpdates } from '$lib/workspace/api';
import type { PageLoad } from './$types';

/**
 * Everything by the key in the URL, at the same time as the layout's program and signals: no
 * request waits for another (server-side rendering answers after one round of api calls, not two).
 * Share links are the owner's; anyone else gets 403 for them, which just means none to show.
 */
export const load: PageLoad = async ({ fetch, params, url, untrack }) => {
  const fail = (e: unknown) => failLoad(e, untrack(() => new URL(url)), 'Program not found');
  const [updates, members, shareLinks, calendar] = await Promise.all([
    listUpdates(fetch, params.key, 5).catch(fail),
    listMembers(fetch, params.key).catch(fail),
    listShareLinks(fetch, params.key).then(
      (p) => p.items,
      (e) => (e instanceof ApiError && e.status === 403 ? null : fail(e)),
    ),
    // the feed is the person's own; the page still works without it
    getCalendarFeed(fetch).catch(() => null),
  ]);
  return { updates, members, shareLinks, calendar };
};
