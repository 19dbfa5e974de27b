import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { RACI_LETTERS, type RaciLetter } from '@tandem/domain';
import { Milestone } from '../milestones/milestone.entity';
import { Program } from '../programs/program.entity';

/** A row of the matrix: one of the program's milestones, or a free-standing activity. */
@Entity({ tableName: 'raci_row' })
@Index({ properties: ['program', 'position'] })
export class RaciRow {
  [OptionalProps]?: 'milestone' | 'activity' | 'position' | 'createdAt' | 'removedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @ManyToOne(() => Milestone, { nullable: true, deleteRule: 'cascade', unique: true })
  milestone: Milestone | null = null;

  @Property({ type: 'text', nullable: true })
  activity: string | null = null;

  @Property({ type: 'integer' })
  position: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  /**
   * When a free activity was deleted. It is kept, with its letters, so that restoring it (the
   * Undo of deleting) brings back the same row in its place with every letter it had, including
   * those of people deactivated since, who could not be given a letter anew. Milestone rows are
   * never removed: they go with their milestone.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  removedAt: Date | null = null;
}

export const RACI_SUBJECT_TYPES = ['user', 'team'] as const;
export type RaciSubjectType = (typeof RACI_SUBJECT_TYPES)[number];

/**
 * A cell: a person or team holds one letter in a row. A partial unique index (in the migration)
 * makes "one A per row" hold in the database too, whatever races the service loses.
 */
@Entity({ tableName: 'raci_assignment' })
@Index({
  name: 'raci_assignment_one_accountable',
  expression: `create unique index "raci_assignment_one_accountable" on "raci_assignment" ("row_id") where "letter" = 'A'`,
})
export class RaciAssignment {
  @ManyToOne(() => RaciRow, { primary: true, deleteRule: 'cascade' })
  row!: RaciRow;

  @Enum({ items: () => [...RACI_SUBJECT_TYPES], primary: true })
  subjectType!: RaciSubjectType;

  @PrimaryKey({ type: 'uuid' })
  subjectId!: string;

  @Enum({ items: () => [...RACI_LETTERS] })
  letter!: RaciLetter;

  @Index()
  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;
}
