import { getProgram, listMembers } from '$lib/api';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url, untrack }) => {
  try {
    const [program, members] = await Promise.all([getProgram(fetch, params.key), listMembers(fetch, params.key)]);
    return { program, members };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
};
