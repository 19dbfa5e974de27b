import { redirect } from '@sveltejs/kit';
import { getMe } from '$lib/api';
import { safeNext } from '$lib/format';
import type { PageLoad } from './$types';

/** Someone already signed in goes straight on to where they were heading. */
export const load: PageLoad = async ({ fetch, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  let signedIn = false;
  try {
    await getMe(fetch);
    signedIn = true;
  } catch {
    // 401 (or the api is unreachable): show the form
  }
  if (signedIn) redirect(303, next);
  return { next };
};
