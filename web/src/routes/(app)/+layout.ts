import { getMe } from '$lib/api';
import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import type { LayoutLoadEvent } from './$types';

export const load = keepOnRefresh(async ({ fetch, url, untrack, depends }: LayoutLoadEvent) => {
  depends('app:me');
  try {
    return { me: await getMe(fetch) };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)));
  }
});
