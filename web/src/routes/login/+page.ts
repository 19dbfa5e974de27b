import { redirect } from '@sveltejs/kit';
import { oidcSignInErrorMessage } from '@tandem/domain';
import { getAuthProviders, getMe } from '$lib/api';
import { safeNext } from '$lib/format';
import { landingFor } from '$lib/shell/landing';
import type { PageLoad } from './$types';

/**
 * Someone already signed in goes straight on to where they were heading. Otherwise: the form, the
 * single sign-on button when the server has one, and why a single sign-on came back here
 * (`?error=<code>`; the text comes from @tandem/domain, never from the URL).
 */
export const load: PageLoad = async ({ fetch, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  const [me, providers] = await Promise.all([
    // 401 (or the api is unreachable): show the form
    getMe(fetch).catch(() => null),
    // without an answer, offer the password form alone
    getAuthProviders(fetch).catch(() => null),
  ]);
  if (me) redirect(303, landingFor(next, me.orgRole));
  return { next, sso: providers?.oidc ?? null, ssoError: oidcSignInErrorMessage(url.searchParams.get('error')) };
};
