import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { email as emailSchema, storable, type OidcSignInError } from '@tandem/domain';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { User } from '../users/user.entity';
import { hashPassword } from './password';
import { UserIdentity } from './user-identity.entity';

/** Who the provider says signed in: its verified ID token (and userinfo) claims, reduced to what Tandem uses. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  /** the `email_verified` claim; absent (undefined) is accepted, only an explicit false is refused */
  emailVerified: boolean | undefined;
  name: string | null;
}

/**
 * A single sign-on that ends on the sign-in page with a reason the person can read (the code is
 * one of `OIDC_SIGN_IN_ERRORS`). `returnTo` goes along, so a password sign-in can still land there.
 */
export class OidcRefused extends Error {
  returnTo = '/';
  constructor(
    readonly code: OidcSignInError,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/**
 * Which Tandem account a provider identity signs in to. An identity seen before is found by
 * (issuer, subject) whatever its email is now; a new one is linked to the account with its
 * verified email, or — with OIDC_CREATE_USERS — to a new org member. Deactivated accounts are refused.
 */
@Injectable()
export class OidcAccounts {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(identity: ProviderIdentity): Promise<User> {
    try {
      return await this.link(identity);
    } catch (error) {
      // Two first sign-ins of the same person at once: the other one linked it; use that.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      this.em.clear();
      return this.link(identity);
    }
  }

  private async link(identity: ProviderIdentity): Promise<User> {
    if (!identity.email) throw new OidcRefused('email_missing', 'no email claim in the ID token or userinfo');
    const parsed = emailSchema.safeParse(identity.email.trim());
    if (!parsed.success) throw new OidcRefused('email_missing', 'the email claim is not an email address');
    if (identity.emailVerified === false) throw new OidcRefused('email_unverified', `email_verified is false for ${parsed.data}`);
    const email = parsed.data;

    const known = await this.em.findOne(UserIdentity, { issuer: identity.issuer, subject: identity.subject }, { populate: ['user'] });
    if (known) {
      if (!known.user.active) throw new OidcRefused('account_deactivated', `account ${known.user.id} is deactivated`);
      known.email = email;
      known.lastSignInAt = new Date();
      await this.em.flush();
      return known.user;
    }

    let user = await this.em.findOne(User, { email });
    if (user) {
      if (!user.active) throw new OidcRefused('account_deactivated', `account ${user.id} is deactivated`);
      if (await this.em.count(UserIdentity, { user, issuer: identity.issuer })) {
        throw new OidcRefused('identity_conflict', `account ${user.id} is linked to another subject at ${identity.issuer}`);
      }
    } else {
      if (!this.config.oidc?.createUsers) throw new OidcRefused('no_account', `no account uses ${email} (OIDC_CREATE_USERS is off)`);
      user = this.em.create(User, {
        email,
        name: displayName(identity.name, email),
        orgRole: 'member',
        // They sign in through the provider; a password nobody knows keeps the password form closed to them.
        passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
      });
    }
    this.em.create(UserIdentity, { user, issuer: identity.issuer, subject: identity.subject, email });
    await this.em.flush();
    return user;
  }
}

function displayName(name: string | null, email: string): string {
  const trimmed = name?.trim().slice(0, 120) ?? '';
  return trimmed && storable(trimmed) ? trimmed : email.slice(0, email.indexOf('@')).slice(0, 120) || email;
}
