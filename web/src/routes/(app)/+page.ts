import { mayCreatePrograms } from '@tandem/domain';
import { listPrograms, listTeams, type TeamRef } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url, untrack }) => {
  const fail = (e: unknown) => failLoad(e, untrack(() => new URL(url)));
  // Both at once; Promise.all handles both rejections, so a failed parent (signed out) leaves no
  // unhandled rejection behind on the server.
  const includeArchived = url.searchParams.get('archived') === '1';
  const [{ me }, programs] = await Promise.all([parent(), listPrograms(fetch, null, includeArchived).catch(fail)]);
  // Teams only feed the "New program" form; the list still shows if they cannot be loaded.
  const teams: TeamRef[] = mayCreatePrograms(me.orgRole)
    ? await listTeams(fetch).then(
        (r) => r.items,
        () => [],
      )
    : [];
  return { programs, teams, includeArchived };
};
