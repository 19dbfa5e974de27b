import { failLoad } from '$lib/load';
import { listDocs } from '$lib/editor/api';
import type { PageLoad } from './$types';

/** The program comes from the workspace layout (`data.program`); this adds its documents. */
export const load: PageLoad = async ({ fetch, params, url, untrack, depends }) => {
  depends('app:docs');
  const includeArchived = url.searchParams.get('archived') === '1';
  try {
    const docs = await listDocs(fetch, params.key, { includeArchived });
    return { docs, includeArchived };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
};
