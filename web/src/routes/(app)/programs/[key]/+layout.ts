import { getProgram } from '$lib/api';
import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { getSignals } from '$lib/workspace/api';
import type { LayoutLoadEvent } from './$types';

/**
 * The program, once for every tab of the workspace (`data.program` in child pages), with its
 * health signals for the header. The layout refetches both (invalidateAll) on live changes.
 */
export const load = keepOnRefresh(async ({ fetch, params, url, untrack, depends }: LayoutLoadEvent) => {
  depends('app:program');
  try {
    const [program, signals] = await Promise.all([getProgram(fetch, params.key), getSignals(fetch, params.key)]);
    return { program, signals };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Program not found');
  }
});
