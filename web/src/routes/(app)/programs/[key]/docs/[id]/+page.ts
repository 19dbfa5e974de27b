import { error } from '@sveltejs/kit';
import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { getDoc } from '$lib/editor/api';
import type { PageLoadEvent } from './$types';

/** The document's metadata; its content arrives over /collab once the page is in the browser. */
export const load = keepOnRefresh(async ({ fetch, params, url, untrack, parent }: PageLoadEvent) => {
  let doc;
  let program;
  try {
    [doc, { program }] = await Promise.all([getDoc(fetch, params.id), parent()]);
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Document not found');
  }
  // A document of another program under this program's address is the same as a missing one.
  if (doc.programId !== program.id) error(404, 'Document not found');
  return { doc };
});
