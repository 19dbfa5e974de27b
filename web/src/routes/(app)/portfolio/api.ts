/** Api calls the portfolio page makes, over `$lib/api`'s typed `request`. */
import type { ResponseOf, StatusUpdate } from '@tandem/api-client';
import { request, type Fetch } from '$lib/api';

export const getPortfolio = (f: Fetch) => request<ResponseOf<'/api/v1/portfolio', 'get'>>(f, '/portfolio');

type UpdatePage = ResponseOf<'/api/v1/programs/{program}/updates', 'get'>;

/**
 * A program's health history from `since` (YYYY-MM-DD, midnight UTC) on, newest first: every update
 * posted since then and the one in force at it, nothing older (the api's `since`). Pages of 200,
 * the api's most, so one request is enough unless a program posted more than that in the window.
 */
export async function listUpdatesSince(f: Fetch, key: string, since: string): Promise<StatusUpdate[]> {
  const updates: StatusUpdate[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ since, limit: '200', ...(cursor ? { cursor } : {}) });
    const page: UpdatePage = await request<UpdatePage>(f, `/programs/${encodeURIComponent(key)}/updates?${query}`);
    updates.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return updates;
}
