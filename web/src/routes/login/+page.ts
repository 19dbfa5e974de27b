import { redirect } from '@sveltejs/kit';
import { getMe } from '$lib/api';
import { safeNext } from '$lib/format';
import { landingFor } from '$lib/shell/landing';
import type { PageLoad } from './$types';

/** Someone already signed in goes straight on to where they were heading. */
export const load: PageLoad = async ({ fetch, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  let me: Awaited<ReturnType<typeof getMe>> | null = null;
  try {
    me = await getMe(fetch);
  } catch {
    // 401 (or the api is unreachable): show the form
  }
  if (me) redirect(303, landingFor(next, me.orgRole));
  return { next };
};
