import { getMe } from '$lib/api';
import { failLoad } from '$lib/load';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ fetch, url, untrack, depends }) => {
  depends('app:me');
  try {
    return { me: await getMe(fetch) };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)));
  }
};
