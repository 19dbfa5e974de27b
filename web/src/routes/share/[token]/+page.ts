import { error } from '@sveltejs/kit';
import { ApiError } from '$lib/api';
import { getSharedReport } from '$lib/workspace/api';
import type { PageLoad } from './$types';

/** Public: the token in the address is the permission. No session is needed or used. */
export const load: PageLoad = async ({ fetch, params }) => {
  try {
    return { report: await getSharedReport(fetch, params.token) };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) error(404, 'This link is no longer valid');
    if (e instanceof ApiError && e.status === 0) error(503, e.message);
    throw e;
  }
};
