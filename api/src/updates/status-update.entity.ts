import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { HEALTHS, type Health } from '@tandem/domain';
import { Program } from '../programs/program.entity';
import { User } from '../users/user.entity';

/** What the owner reports: health and a narrative. History is kept; the latest one counts. */
@Entity({ tableName: 'status_update' })
@Index({ properties: ['program', 'createdAt', 'id'] })
export class StatusUpdate {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @Enum({ items: () => [...HEALTHS] })
  health!: Health;

  /** markdown */
  @Property({ type: 'text' })
  narrative!: string;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  author!: User;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
