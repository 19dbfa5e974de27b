import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { User } from '../users/user.entity';

/**
 * A person's identity at an OpenID Connect provider: the provider's issuer and its subject (`sub`,
 * stable for that person at that issuer) mapped to a Tandem account. Found by (issuer, subject) on
 * every sign-in after the first, so a changed email at the provider still reaches the same person.
 * One identity per provider per account.
 */
@Entity({ tableName: 'user_identity' })
@Unique({ properties: ['issuer', 'subject'] })
@Unique({ properties: ['user', 'issuer'] })
export class UserIdentity {
  [OptionalProps]?: 'createdAt' | 'lastSignInAt' | 'email';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'text' })
  issuer!: string;

  @Property({ type: 'text' })
  subject!: string;

  /** the email the provider gave at the last sign-in (for people reading the table; never used to match) */
  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  lastSignInAt: Date = new Date();
}
