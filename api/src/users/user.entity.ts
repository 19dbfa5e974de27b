import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { ORG_ROLES, type OrgRole } from '@tandem/domain';

@Entity({ tableName: 'user' })
export class User {
  [OptionalProps]?: 'orgRole' | 'active' | 'createdAt' | 'updatedAt' | 'deactivatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** stored lower-case; unique */
  @Property({ type: 'text', unique: true })
  email!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;

  @Enum({ items: () => [...ORG_ROLES], nativeEnumName: undefined })
  orgRole: OrgRole = 'member';

  @Index()
  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deactivatedAt: Date | null = null;
}
