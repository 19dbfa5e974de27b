import { failLoad } from '$lib/load';
import { getReport } from '$lib/workspace/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent, url, untrack }) => {
  const { program } = await parent();
  try {
    return { report: await getReport(fetch, program.id) };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
};
