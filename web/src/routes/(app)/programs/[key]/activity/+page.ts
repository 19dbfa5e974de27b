import { failLoad } from '$lib/load';
import { listActivity, listAllMembers, listAllMilestones } from '$lib/workspace/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url, untrack }) => {
  const { program } = await parent();
  try {
    const [activity, members, milestones] = await Promise.all([
      listActivity(fetch, program.id),
      listAllMembers(fetch, program.id),
      listAllMilestones(fetch, program.id),
    ]);
    // changes name people and milestones by id: show their names instead
    const names: Record<string, string> = {};
    for (const m of members) names[m.user.id] = m.user.name;
    for (const m of milestones) names[m.id] = m.title;
    return { activity, names };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
};
