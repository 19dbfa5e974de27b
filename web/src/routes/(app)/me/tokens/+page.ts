import { ApiError } from '$lib/api';
import { listTokens } from '$lib/account/tokens';
import { failLoad } from '$lib/load';
import { keepOnRefresh } from '$lib/refresh.svelte';
import type { PageLoadEvent } from './$types';

/**
 * The signed-in person's API tokens. A refusal (403) is the page's to explain, not an error page.
 * Reloaded after making or revoking one: a reload that fails keeps the page (keepOnRefresh) — and
 * with it a new token's secret, shown only once.
 */
export const load = keepOnRefresh(async ({ fetch, url, untrack, depends }: PageLoadEvent) => {
  depends('app:tokens');
  try {
    return { tokens: (await listTokens(fetch)).items, refused: null };
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return { tokens: [], refused: e.message };
    return failLoad(e, untrack(() => new URL(url)));
  }
});
