import { ApiError } from '$lib/api';
import { listTokens } from '$lib/account/tokens';
import { failLoad } from '$lib/load';
import type { PageLoad } from './$types';

/** The signed-in person's API tokens. A refusal (403) is the page's to explain, not an error page. */
export const load: PageLoad = async ({ fetch, url, untrack, depends }) => {
  depends('app:tokens');
  try {
    return { tokens: (await listTokens(fetch)).items, refused: null };
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) return { tokens: [], refused: e.message };
    return failLoad(e, untrack(() => new URL(url)));
  }
};
