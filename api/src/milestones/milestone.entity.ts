import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { MILESTONE_STATUSES, type MilestoneStatus } from '@tandem/domain';
import { Program } from '../programs/program.entity';
import { User } from '../users/user.entity';

@Entity({ tableName: 'milestone' })
@Index({ properties: ['program', 'position'] })
export class Milestone {
  [OptionalProps]?: 'description' | 'owner' | 'startDate' | 'dueDate' | 'status' | 'position' | 'workstream' | 'completedAt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  description: string = '';

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  owner: User | null = null;

  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Property({ type: 'date', nullable: true })
  dueDate: string | null = null;

  @Enum({ items: () => [...MILESTONE_STATUSES] })
  status: MilestoneStatus = 'not_started';

  @Property({ type: 'integer' })
  position: number = 0;

  @Property({ type: 'text', nullable: true })
  workstream: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** Finish-to-start between two milestones of the same program. */
@Entity({ tableName: 'milestone_dependency' })
export class MilestoneDependency {
  [OptionalProps]?: 'createdAt';

  @ManyToOne(() => Milestone, { primary: true, deleteRule: 'cascade' })
  predecessor!: Milestone;

  @Index()
  @ManyToOne(() => Milestone, { primary: true, deleteRule: 'cascade' })
  successor!: Milestone;

  @Index()
  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A snapshot of every milestone's dates, taken when the owner sets a baseline. History is kept. */
@Entity({ tableName: 'baseline' })
@Index({ properties: ['program', 'createdAt'] })
export class Baseline {
  [OptionalProps]?: 'createdAt' | 'label';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @Property({ type: 'text', nullable: true })
  label: string | null = null;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  createdBy!: User;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'baseline_milestone' })
export class BaselineMilestone {
  @ManyToOne(() => Baseline, { primary: true, deleteRule: 'cascade' })
  baseline!: Baseline;

  @Index()
  @ManyToOne(() => Milestone, { primary: true, deleteRule: 'cascade' })
  milestone!: Milestone;

  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Property({ type: 'date', nullable: true })
  dueDate: string | null = null;
}

/**
 * What deleting a milestone took with it, kept so the delete can be undone whole: the milestone's
 * row and every row that went with it by cascade (its RACI row and that row's assignments, its
 * dependencies both ways, its baseline dates, its checklist links), each as `to_jsonb` of the row.
 * Restoring puts back the rows whose other ends still exist, with the same ids, and deletes this.
 */
@Entity({ tableName: 'deleted_milestone' })
@Index({ properties: ['program', 'deletedAt'] })
export class DeletedMilestone {
  [OptionalProps]?: 'deletedBy' | 'deletedAt';

  /** the milestone's own id, which it gets back */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @Property({ type: 'text' })
  title!: string;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  deletedBy: User | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  deletedAt: Date = new Date();

  @Property({ type: 'json' })
  rows!: Record<string, unknown>;
}
