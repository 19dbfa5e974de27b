import { failLoad } from '$lib/load';
import { getRolloutGrid } from '$lib/rollout/api';
import type { PageLoad } from './$types';

/** The program comes from the workspace layout (`data.program`), which also refreshes on live changes. */
export const load: PageLoad = async ({ fetch, params, url, untrack }) => {
  try {
    return { grid: await getRolloutGrid(fetch, params.key) };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
};
