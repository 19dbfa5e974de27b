/** Api calls the portfolio page makes, over `$lib/api`'s typed `request`. */
import type { ResponseOf, StatusUpdate, Wave } from '@tandem/api-client';
import { request, type Fetch } from '$lib/api';

export const getPortfolio = (f: Fetch) => request<ResponseOf<'/api/v1/portfolio', 'get'>>(f, '/portfolio');

/** The newest `limit` status updates of a program (newest first). */
export const listUpdates = (f: Fetch, key: string, limit = 50): Promise<StatusUpdate[]> =>
  request<ResponseOf<'/api/v1/programs/{program}/updates', 'get'>>(f, `/programs/${encodeURIComponent(key)}/updates?limit=${limit}`).then((p) => p.items);

export const listWaves = (f: Fetch, key: string): Promise<Wave[]> =>
  request<ResponseOf<'/api/v1/programs/{program}/waves', 'get'>>(f, `/programs/${encodeURIComponent(key)}/waves?limit=200`).then((p) => p.items);
