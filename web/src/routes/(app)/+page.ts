import { mayCreatePrograms } from '@tandem/domain';
import { listPrograms, listTeams, type TeamRef } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url, untrack }) => {
  const programs = listPrograms(fetch);
  const { me } = await parent();
  // Teams only feed the "New program" form; the list still shows if they cannot be loaded.
  const teams: Promise<TeamRef[]> = mayCreatePrograms(me.orgRole)
    ? listTeams(fetch).then(
        (r) => r.items,
        () => [],
      )
    : Promise.resolve([]);
  try {
    return { programs: await programs, teams: await teams };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)));
  }
};
