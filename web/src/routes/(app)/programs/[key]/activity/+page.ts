import { listTeams } from '$lib/api';
import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { getRolloutGrid } from '$lib/rollout/api';
import { checklistChoices } from '$lib/workspace/checklist-choices';
import { listActivity, listAllMembers, listAllMilestones } from '$lib/workspace/api';
import type { PageLoadEvent } from './$types';

export const load = keepOnRefresh(async ({ fetch, parent, url, untrack }: PageLoadEvent) => {
  const { program } = await parent();
  try {
    const [activity, members, milestones, teams, grid] = await Promise.all([
      listActivity(fetch, program.id),
      listAllMembers(fetch, program.id),
      listAllMilestones(fetch, program.id),
      // only names for the changes below: the feed still shows (with short ids) without them
      listTeams(fetch).then(
        (r) => r.items,
        () => [],
      ),
      getRolloutGrid(fetch, program.id).catch(() => null),
    ]);
    // changes name people, teams, milestones and checklist items by id: show their names instead
    const names: Record<string, string> = {};
    for (const m of members) names[m.user.id] = m.user.name;
    for (const t of teams) names[t.id] = t.name;
    for (const m of milestones) names[m.id] = m.title;
    for (const wave of grid ? checklistChoices(grid) : []) {
      for (const item of wave.items) names[item.id] = `${item.title} (${wave.waveName})`;
    }
    return { activity, names };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
});
