import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Program } from '../programs/program.entity';
import { User } from '../users/user.entity';

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/**
 * Every change to a program, written in the same transaction as the change. Append-only: nothing
 * in the code updates or deletes a row (only a program's deletion cascades).
 */
@Entity({ tableName: 'activity' })
@Index({ properties: ['program', 'id'] })
export class Activity {
  [OptionalProps]?: 'id' | 'at' | 'changes' | 'actor';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  actor: User | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at: Date = new Date();

  /** what kind of thing changed: program, milestone, wave, checklist_item, … */
  @Property({ type: 'text' })
  entityType!: string;

  @Property({ type: 'uuid', nullable: true })
  entityId!: string | null;

  /** created, updated, deleted, went_live, overridden, … */
  @Property({ type: 'text' })
  action!: string;

  /** one line a person reads */
  @Property({ type: 'text' })
  summary!: string;

  @Property({ type: 'json' })
  changes: FieldChanges = {};
}
