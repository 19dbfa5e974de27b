import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { listAllMembers, listAllUsers, type User } from '$lib/workspace/api';
import type { PageLoadEvent } from './$types';

export const load = keepOnRefresh(async ({ fetch, parent, url, untrack }: PageLoadEvent) => {
  const { program } = await parent();
  try {
    const [members, people] = await Promise.all([
      listAllMembers(fetch, program.id),
      // only those who may add members search the organisation's people
      program.ability.manage ? listAllUsers(fetch) : Promise.resolve([] as User[]),
    ]);
    return { members, people };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
});
