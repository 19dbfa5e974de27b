import { mayCreatePrograms } from '@tandem/domain';
import { listPrograms, listTeams, listTemplates, type TeamRef } from '$lib/api';
import type { ProgramTemplate } from '$lib/components/templates';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url, untrack }) => {
  const fail = (e: unknown) => failLoad(e, untrack(() => new URL(url)));
  // Both at once; Promise.all handles both rejections, so a failed parent (signed out) leaves no
  // unhandled rejection behind on the server.
  const includeArchived = url.searchParams.get('archived') === '1';
  const [{ me }, programs] = await Promise.all([parent(), listPrograms(fetch, null, includeArchived).catch(fail)]);
  // Teams and templates only feed the "New program" form; the list still shows if they cannot be
  // loaded (without templates — null — the form offers a blank program and says why).
  const [teams, templates]: [TeamRef[], ProgramTemplate[] | null] = mayCreatePrograms(me.orgRole)
    ? await Promise.all([
        listTeams(fetch).then(
          (r) => r.items,
          () => [],
        ),
        listTemplates(fetch).then(
          (r) => r.items,
          () => null,
        ),
      ])
    : [[], []];
  return { programs, teams, templates, includeArchived };
};
