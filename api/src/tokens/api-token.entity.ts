import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '@tandem/domain';
import { User } from '../users/user.entity';

/**
 * A personal API token for scripts. Like a session, only HMAC(SESSION_SECRET, token) is stored;
 * the token is shown once, when it is made. Revoking deletes the row; so does deactivating its
 * owner (and the owner's account going away).
 */
@Entity({ tableName: 'api_token' })
export class ApiToken {
  [OptionalProps]?: 'createdAt' | 'lastUsedAt' | 'expiresAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => [...API_TOKEN_SCOPES], nativeEnumName: undefined })
  scope!: ApiTokenScope;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;
}
