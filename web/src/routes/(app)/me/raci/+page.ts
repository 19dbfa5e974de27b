import { failLoad } from '$lib/load';
import { getPersonRaci, getUser, listAllUsers } from '$lib/raci/api';
import type { PageLoad } from './$types';

/** `/me/raci` for the signed-in person, `/me/raci?user=<id>` for anyone else. */
export const load: PageLoad = async ({ fetch, url, untrack, parent }) => {
  const userId = url.searchParams.get('user');
  try {
    const { me } = await parent();
    const self = !userId || userId === me.id;
    const [raci, person, people] = await Promise.all([
      getPersonRaci(fetch, self ? 'me' : userId),
      self ? Promise.resolve({ id: me.id, name: me.name, email: me.email }) : getUser(fetch, userId),
      listAllUsers(fetch),
    ]);
    return { raci, person: { id: person.id, name: person.name, email: person.email }, self, people: people.map((p) => ({ id: p.id, name: p.name })) };
  } catch (e) {
    return failLoad(e, untrack(() => new URL(url)), 'Person not found');
  }
};
