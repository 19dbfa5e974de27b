import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { getReport } from '$lib/workspace/api';
import type { PageLoadEvent } from './$types';

export const load = keepOnRefresh(async ({ fetch, parent, url, untrack }: PageLoadEvent) => {
  const { program } = await parent();
  try {
    return { report: await getReport(fetch, program.id) };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
});
