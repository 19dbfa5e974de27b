import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { latestBaseline, listAllMembers, listAllMilestones, listDeletedMilestones, listDependencies } from '$lib/workspace/api';
import type { PageLoadEvent } from './$types';

export const load = keepOnRefresh(async ({ fetch, parent, url, untrack }: PageLoadEvent) => {
  const fail = (e: unknown) => failLoad(e, untrack(() => new URL(url)), 'Program not found');
  const { program } = await parent();
  const [milestones, dependencies, members, baseline, deleted] = await Promise.all([
    listAllMilestones(fetch, program.id),
    listDependencies(fetch, program.id),
    listAllMembers(fetch, program.id),
    latestBaseline(fetch, program.id),
    listDeletedMilestones(fetch, program.id),
  ]).catch(fail);
  return { milestones, dependencies, members, baseline, deleted };
});
