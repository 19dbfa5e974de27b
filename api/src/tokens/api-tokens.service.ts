import { randomBytes } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { READ_ONLY_TOKENS_REASON, tokenScopesFor, type ApiTokenScope, type CreateApiTokenInput } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { ValidationFailed } from '../common/validation';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AccessChanges } from '../live/access-changes';
import { LiveEvents } from '../live/live.events';
import { hashSecretToken } from '../reports/tokens';
import { User } from '../users/user.entity';
import { ApiToken } from './api-token.entity';

export const API_TOKEN_PREFIX = 'tdm_';
const TOKEN_SHAPE = /^tdm_[A-Za-z0-9_-]{43}$/;
const MAX_TOKENS_PER_PERSON = 50;
const DAY_MS = 86_400_000;
const TOUCH_EVERY_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  scope: ApiTokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface CreatedApiToken extends ApiTokenView {
  /** shown only this once */
  token: string;
}

/** Who a valid token speaks for, and what it may do. */
export interface TokenHolder {
  actor: Actor;
  tokenId: string;
  scope: ApiTokenScope;
  /** null: never */
  expiresAt: Date | null;
}

const view = (t: ApiToken): ApiTokenView => ({
  id: t.id,
  name: t.name,
  scope: t.scope,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  expiresAt: t.expiresAt?.toISOString() ?? null,
});

/** Unknown, revoked and someone else's tokens get the same answer. */
const tokenNotFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'API token not found' });

export const looksLikeApiToken = (value: string): boolean => TOKEN_SHAPE.test(value);

/** Personal API tokens: each person makes, lists and revokes their own; nobody sees anyone else's. */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly em: EntityManager,
    private readonly live: LiveEvents,
    private readonly accessChanges: AccessChanges,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, input: CreateApiTokenInput): Promise<CreatedApiToken> {
    if (!tokenScopesFor(actor.orgRole).includes(input.scope)) throw new ValidationFailed([{ field: 'scope', reason: READ_ONLY_TOKENS_REASON }]);
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    // One person's tokens are counted and added one request at a time: counted apart, a burst of
    // requests all saw room for one more and went past the limit together.
    const row = await this.em.transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`api-tokens:${actor.id}`]);
      if ((await tx.count(ApiToken, { user: actor.id })) >= MAX_TOKENS_PER_PERSON) {
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `You have ${MAX_TOKENS_PER_PERSON} API tokens; revoke one first` });
      }
      return tx.create(ApiToken, {
        user: tx.getReference(User, actor.id),
        name: input.name,
        scope: input.scope,
        tokenHash: this.hash(token),
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null,
      });
    });
    return { ...view(row), token };
  }

  async list(actor: Actor): Promise<{ items: ApiTokenView[]; nextCursor: null }> {
    const rows = await this.em.find(ApiToken, { user: actor.id }, { orderBy: { createdAt: 'desc', id: 'desc' } });
    return { items: rows.map(view), nextCursor: null };
  }

  /** Deletes the token; connections opened with it are closed at once, on every node. */
  async revoke(actor: Actor, id: string): Promise<void> {
    const deleted = await this.em.nativeDelete(ApiToken, { id, user: actor.id });
    if (!deleted) throw tokenNotFound();
    this.live.disconnectToken(id);
    this.accessChanges.notify({ userId: actor.id, programId: null });
  }

  /** How many tokens the person has (as their own list shows them, expired ones too). */
  async countFor(userId: string): Promise<number> {
    return this.em.count(ApiToken, { user: userId });
  }

  /** Deactivation: every token of the person is deleted for good (reactivation does not bring them back). */
  async revokeAllFor(userId: string): Promise<number> {
    return this.em.nativeDelete(ApiToken, { user: userId });
  }

  /** The active person a bearer token belongs to, or null for unknown, expired or deactivated. */
  async resolve(token: string): Promise<TokenHolder | null> {
    if (!looksLikeApiToken(token)) return null;
    const row = await this.em.findOne(ApiToken, { tokenHash: this.hash(token) }, { populate: ['user'] });
    if (!row) return null;
    const now = Date.now();
    if ((row.expiresAt && row.expiresAt.getTime() <= now) || !row.user.active) {
      await this.em.nativeDelete(ApiToken, { id: row.id });
      return null;
    }
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
      await this.em.nativeUpdate(ApiToken, { id: row.id }, { lastUsedAt: new Date(now) });
    }
    const { id, email, name, orgRole } = row.user;
    return { actor: { id, email, name, orgRole }, tokenId: row.id, scope: row.scope, expiresAt: row.expiresAt };
  }

  private hash(token: string): string {
    return hashSecretToken(this.config.sessionSecret, token);
  }
}
