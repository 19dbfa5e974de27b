import { error } from '@sveltejs/kit';
import { listPeople } from '$lib/account/people';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

/** Everyone in the organisation, deactivated people too: admins only. */
export const load: PageLoad = async ({ fetch, url, untrack, depends, parent }) => {
  depends('app:people');
  const { me } = await parent();
  if (me.orgRole !== 'admin') error(403, 'Only admins manage people');
  try {
    return { people: await listPeople(fetch) };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)));
  }
};
