import { error } from '@sveltejs/kit';
import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { getWave } from '$lib/rollout/api';
import type { PageLoadEvent } from './$types';

/** The wave whose checklist is imported; one of another program is not found here. */
export const load = keepOnRefresh(async ({ fetch, params, parent, url, untrack }: PageLoadEvent) => {
  const [{ program }, wave] = await Promise.all([parent(), getWave(fetch, params.id).catch((e: unknown) => failLoad(e, untrack(() => new URL(url)), 'Wave not found'))]);
  if (wave.programId !== program.id) error(404, 'Wave not found');
  return { wave };
});
