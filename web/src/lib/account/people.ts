/**
 * People management for admins (/admin/people): the api calls (same conventions as `$lib/api`) and
 * the words for what deactivating someone does — asked before, told after. Deactivation deletes a
 * person's API tokens for good: reactivating them lets them sign in again, nothing more.
 */
import type { RequestBodyOf, ResponseOf } from '@tandem/api-client';
import type { OrgRole } from '@tandem/domain';
import { orgRoleLabel } from '$lib/format';
import { request, type Fetch } from '$lib/api';

export type Person = ResponseOf<'/api/v1/users', 'get'>['items'][number];
export type DeactivationPreview = ResponseOf<'/api/v1/users/{id}/deactivation', 'get'>;
export type PersonChange = ResponseOf<'/api/v1/users/{id}', 'patch'>;
export type AccessEnded = NonNullable<PersonChange['revoked']>;
export type NewPerson = RequestBodyOf<'/api/v1/users', 'post'>;

const enc = encodeURIComponent;

/** Everyone, deactivated people too (the list is small: every page of it). */
export async function listPeople(f: Fetch): Promise<Person[]> {
  const people: Person[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: ResponseOf<'/api/v1/users', 'get'> = await request(f, `/users?includeInactive=true&limit=200${cursor ? `&cursor=${enc(cursor)}` : ''}`);
    people.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return people;
}

export const previewDeactivation = (f: Fetch, id: string) => request<DeactivationPreview>(f, `/users/${enc(id)}/deactivation`);
export const addPerson = (f: Fetch, body: NewPerson) => request<Person>(f, '/users', { method: 'POST', body });
export const setPersonRole = (f: Fetch, id: string, orgRole: OrgRole) => request<PersonChange>(f, `/users/${enc(id)}`, { method: 'PATCH', body: { orgRole } });
export const setPersonActive = (f: Fetch, id: string, active: boolean) => request<PersonChange>(f, `/users/${enc(id)}`, { method: 'PATCH', body: { active } });

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function tokensPhrase(n: number): string {
  return n === 1 ? 'their API token' : `their ${n} API tokens`;
}

/** The question before deactivating: what it ends, and what reactivation will not bring back. */
export function deactivationQuestion(name: string, p: DeactivationPreview): string {
  const signedIn = p.sessions ? ` (signed in on ${plural(p.sessions, 'browser or device', 'browsers or devices')} now)` : '';
  const tokens = p.apiTokens
    ? ` and revokes ${tokensPhrase(p.apiTokens)} for good. Reactivating ${name} later lets them sign in again, but the tokens stay revoked.`
    : '. They have no API tokens.';
  const feed = p.calendarFeed ? ' Their calendar feed stops until they are reactivated.' : '';
  return `Deactivating ${name} signs them out everywhere${signedIn}${tokens}${feed} Their programs, milestones and documents stay as they are.`;
}

/** What the deactivation did, from the api's answer. */
export function deactivationDone(name: string, ended: AccessEnded): string {
  const tokens = ended.apiTokens ? `revoked ${tokensPhrase(ended.apiTokens)} for good` : 'they had no API tokens';
  return `Deactivated ${name}: signed out of ${plural(ended.sessions, 'session', 'sessions')}, ${tokens}.`;
}

export const reactivationDone = (name: string): string =>
  `${name} can sign in again. API tokens revoked when they were deactivated stay revoked: they can make new ones.`;

/** Active and deactivated people whose name or email holds every word of the search (any case), by name as listed. */
export function findPeople(people: Person[], search: string): { active: Person[]; deactivated: Person[] } {
  const words = search.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const matches = (p: Person) => {
    const haystack = `${p.name} ${p.email}`.toLocaleLowerCase();
    return words.every((w) => haystack.includes(w));
  };
  const found = people.filter(matches);
  return { active: found.filter((p) => p.active), deactivated: found.filter((p) => !p.active) };
}

/** What the search shows, for a status line: "12 people: 10 active, 2 deactivated." or what matched. */
export function peopleCount(shown: { active: Person[]; deactivated: Person[] }, total: number, search: string): string {
  const n = shown.active.length + shown.deactivated.length;
  const split = `${shown.active.length} active, ${shown.deactivated.length} deactivated`;
  if (!search.trim()) return `${plural(total, 'person', 'people')}: ${split}.`;
  if (!n) return `No one of ${plural(total, 'person', 'people')} matches “${search.trim()}”.`;
  return `${n} of ${plural(total, 'person', 'people')} ${n === 1 ? 'matches' : 'match'} “${search.trim()}”: ${split}.`;
}

/** The question before taking admin rights from someone. */
export const demotionQuestion = (name: string, to: OrgRole): string =>
  `${name} will no longer manage people or every program: as ${orgRoleLabel(to)} they ${to === 'viewer' ? 'read every program and change nothing' : 'see only the programs they belong to'}. They keep their sign-in and API tokens; an admin can make them an admin again.`;

/** What a role change did. */
export const roleChanged = (name: string, to: OrgRole): string => `${name} is now ${orgRoleLabel(to)}.`;

/** What adding someone did, and how they sign in the first time. */
export const personAdded = (p: Pick<Person, 'name' | 'email' | 'orgRole'>): string =>
  `Added ${p.name} as ${orgRoleLabel(p.orgRole)}. They sign in with ${p.email} and the password you set: give it to them privately.`;
