import { error } from '@sveltejs/kit';
import { failLoad } from '$lib/load';
import { getWave } from '$lib/rollout/api';
import type { PageLoad } from './$types';

/** The wave whose checklist is imported; one of another program is not found here. */
export const load: PageLoad = async ({ fetch, params, parent, url, untrack }) => {
  const [{ program }, wave] = await Promise.all([parent(), getWave(fetch, params.id).catch((e: unknown) => failLoad(e, untrack(() => new URL(url)), 'Wave not found'))]);
  if (wave.programId !== program.id) error(404, 'Wave not found');
  return { wave };
};
