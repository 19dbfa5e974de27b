import { z } from 'zod';
import { described, named } from './registry.js';

/** How people may sign in (`GET /auth/providers`): passwords always; single sign-on when it is configured. */
export const authProvidersView = named(
  'AuthProviders',
  z.object({
    password: z.literal(true),
    oidc: described(
      'single sign-on through the configured OpenID Connect provider; null when it is not configured',
      z.object({ label: z.string() }).nullable(),
    ),
  }),
  'How people may sign in',
);
