import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { getRaciMatrix } from '$lib/raci/api';
import type { PageLoadEvent } from './$types';

/** The program comes from the workspace layout (`data.program`), which also refreshes on live changes. */
export const load = keepOnRefresh(async ({ fetch, params, url, untrack }: PageLoadEvent) => {
  try {
    return { matrix: await getRaciMatrix(fetch, params.key) };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
});
