import { listMembers } from '$lib/api';
import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { getCalendarFeed, listShareLinks, listUpdates } from '$lib/workspace/api';
import type { PageLoadEvent } from './$types';

/**
 * Everything by the key in the URL, at the same time as the layout's program and signals (server-
 * side rendering answers after one round of api calls, not two) — except the share links, which are
 * for those who manage the program: they are asked for only once the program says the caller may.
 */
export const load = keepOnRefresh(async ({ fetch, params, parent, url, untrack }: PageLoadEvent) => {
  const fail = (e: unknown) => failLoad(e, untrack(() => new URL(url)), 'Program not found');
  const shareLinks = async () => {
    const { program } = await parent();
    return program.ability.manage ? (await listShareLinks(fetch, params.key).catch(fail)).items : null;
  };
  const [updates, members, links, calendar] = await Promise.all([
    listUpdates(fetch, params.key, 5).catch(fail),
    listMembers(fetch, params.key).catch(fail),
    shareLinks(),
    // the feed is the person's own; the page still works without it
    getCalendarFeed(fetch).catch(() => null),
  ]);
  return { updates, members, shareLinks: links, calendar };
});
