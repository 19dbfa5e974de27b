import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { listDocs } from '$lib/editor/api';
import type { PageLoadEvent } from './$types';

/** The program comes from the workspace layout (`data.program`); this adds its documents. */
export const load = keepOnRefresh(async ({ fetch, params, url, untrack, depends }: PageLoadEvent) => {
  depends('app:docs');
  const includeArchived = url.searchParams.get('archived') === '1';
  try {
    const docs = await listDocs(fetch, params.key, { includeArchived });
    return { docs, includeArchived };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
});
