import { listMembers } from '$lib/api';
import { failLoad } from '$lib/load';
import { getCalendarFeed, listShareLinks, listUpdates } from '$lib/workspace/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url, untrack }) => {
  const fail = (e: unknown) => failLoad(e, untrack(() => new URL(url)), 'Program not found');
  const { program } = await parent();
  const [updates, members, shareLinks, calendar] = await Promise.all([
    listUpdates(fetch, program.id, 5).catch(fail),
    listMembers(fetch, program.id).catch(fail),
    program.ability.manage ? listShareLinks(fetch, program.id).then((p) => p.items, fail) : Promise.resolve(null),
    // the feed is the person's own; the page still works without it
    getCalendarFeed(fetch).catch(() => null),
  ]);
  return { updates, members, shareLinks, calendar };
};
