/**
 * REST helpers for the RACI matrix and the per-person view (`/api/v1/.../raci`). Same shape as
 * `$lib/api`: each takes the `fetch` to use and rejects with `ApiError` carrying the api's message.
 */
import type { PersonRaci, RaciMatrix, RaciRowChange, RaciSubject, RequestBodyOf, ResponseOf, Team, User } from '@tandem/api-client';
import { request, type Fetch } from '$lib/api';

export type { PersonRaci, RaciMatrix, RaciRowChange, RaciSubject, Team, User };
export type RaciRow = RaciMatrix['rows'][number];
export type RaciLetter = RaciRow['cells'][number]['letter'];
export type SetCellBody = RequestBodyOf<'/api/v1/programs/{program}/raci/cells', 'put'>;

const programPath = (keyOrId: string) => `/programs/${encodeURIComponent(keyOrId)}`;

export const getRaciMatrix = (f: Fetch, keyOrId: string) => request<RaciMatrix>(f, `${programPath(keyOrId)}/raci`);

export const setRaciCell = (f: Fetch, keyOrId: string, body: SetCellBody) =>
  request<RaciRowChange>(f, `${programPath(keyOrId)}/raci/cells`, { method: 'PUT', body });

export const addRaciActivity = (f: Fetch, keyOrId: string, activity: string) =>
  request<RaciRowChange>(f, `${programPath(keyOrId)}/raci/activities`, { method: 'POST', body: { activity } });

export const deleteRaciRow = (f: Fetch, rowId: string) => request<void>(f, `/raci/rows/${encodeURIComponent(rowId)}`, { method: 'DELETE' });

/** The Undo of deleting a free activity: the same row, in its place, with every letter it had. */
export const restoreRaciRow = (f: Fetch, rowId: string) => request<RaciRowChange>(f, `/raci/rows/${encodeURIComponent(rowId)}/restore`, { method: 'POST' });

/** `who` is a person's id, or `me`. */
export const getPersonRaci = (f: Fetch, who: string) => request<PersonRaci>(f, `/raci/people/${encodeURIComponent(who)}`);

export const getUser = (f: Fetch, id: string) => request<User>(f, `/users/${encodeURIComponent(id)}`);

/** Every active person in the organisation (follows the cursor; organisations here are small). */
export async function listAllUsers(f: Fetch): Promise<User[]> {
  const people: User[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const path: string = cursor ? `/users?limit=200&cursor=${encodeURIComponent(cursor)}` : '/users?limit=200';
    const answer: ResponseOf<'/api/v1/users', 'get'> = await request(f, path);
    people.push(...answer.items.filter((u) => u.active));
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return people;
}

export const listAllTeams = async (f: Fetch): Promise<Team[]> => (await request<ResponseOf<'/api/v1/teams', 'get'>>(f, '/teams')).items;
