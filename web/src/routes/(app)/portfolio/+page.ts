import { listTeams, type TeamRef } from '$lib/api';
import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import { getPortfolio } from './api';
import type { PageLoadEvent } from './$types';

/**
 * Every row at once: filters and sorting happen in the page (the owners to filter by come from
 * the rows), so changing them never refetches. `app:portfolio` is invalidated on live changes.
 */
export const load = keepOnRefresh(async ({ fetch, url, untrack, depends }: PageLoadEvent) => {
  depends('app:portfolio');
  const fail = (e: unknown) => failLoad(e, untrack(() => new URL(url)));
  const [portfolio, teams] = await Promise.all([
    getPortfolio(fetch).catch(fail),
    // teams only feed the filter; the page still shows without them
    listTeams(fetch).then(
      (r): TeamRef[] => r.items,
      () => [],
    ),
  ]);
  return { rows: portfolio.items, teams, loadedAt: new Date().toISOString() };
});
