import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { CHECKLIST_STATES, WAVE_STATUSES, type ChecklistState, type WaveStatus } from '@tandem/domain';
import { Milestone } from '../milestones/milestone.entity';
import { Program } from '../programs/program.entity';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';

/** The program's go-live checklist template: every new wave starts with these items. */
@Entity({ tableName: 'checklist_template_item' })
@Index({ properties: ['program', 'position'] })
export class ChecklistTemplateItem {
  [OptionalProps]?: 'ownerTeam' | 'ownerUser' | 'required' | 'dueOffsetDays' | 'position' | 'removedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @Property({ type: 'text' })
  title!: string;

  @ManyToOne(() => Team, { nullable: true, deleteRule: 'set null' })
  ownerTeam: Team | null = null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  ownerUser: User | null = null;

  @Property({ type: 'boolean' })
  required: boolean = true;

  /** days relative to the wave's go-live (negative: before) */
  @Property({ type: 'integer' })
  dueOffsetDays: number = 0;

  @Property({ type: 'integer' })
  position: number = 0;

  /**
   * When it was removed from the template. A removed item is kept, not deleted: the waves' copies
   * stay linked to it (deleting would unlink every copy for good), so restoring it — the Undo of
   * removing — brings back the same item with its row in the rollout grid whole.
   */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  removedAt: Date | null = null;
}

/** A rollout wave: Pilot, Wave 1, … GA. */
@Entity({ tableName: 'wave' })
@Index({ properties: ['program', 'position'] })
export class Wave {
  [OptionalProps]?: 'scope' | 'plannedGoLive' | 'status' | 'position' | 'wentLiveAt' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @Property({ type: 'text' })
  name!: string;

  /** sites and teams in scope, as people name them */
  @Property({ type: 'json' })
  scope: string[] = [];

  @Property({ type: 'date', nullable: true })
  plannedGoLive: string | null = null;

  @Enum({ items: () => [...WAVE_STATUSES] })
  status: WaveStatus = 'planned';

  @Property({ type: 'integer' })
  position: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  wentLiveAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

@Entity({ tableName: 'checklist_item' })
@Index({ properties: ['wave', 'position'] })
export class ChecklistItem {
  [OptionalProps]?: 'templateItem' | 'ownerTeam' | 'ownerUser' | 'required' | 'dueDate' | 'state' | 'reason' | 'changedBy' | 'changedAt' | 'position';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Wave, { deleteRule: 'cascade' })
  wave!: Wave;

  /** the wave's program, kept here so access checks and portfolio roll-ups need no join */
  @Index()
  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @ManyToOne(() => ChecklistTemplateItem, { nullable: true, deleteRule: 'set null' })
  templateItem: ChecklistTemplateItem | null = null;

  @Property({ type: 'text' })
  title!: string;

  @ManyToOne(() => Team, { nullable: true, deleteRule: 'set null' })
  ownerTeam: Team | null = null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  ownerUser: User | null = null;

  @Property({ type: 'boolean' })
  required: boolean = true;

  @Property({ type: 'date', nullable: true })
  dueDate: string | null = null;

  @Enum({ items: () => [...CHECKLIST_STATES] })
  state: ChecklistState = 'todo';

  /** why it is not applicable or blocked */
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  changedBy: User | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  changedAt: Date | null = null;

  @Property({ type: 'integer' })
  position: number = 0;
}

/** A milestone that cannot be done while these checklist items are open. */
@Entity({ tableName: 'milestone_checklist_link' })
export class MilestoneChecklistLink {
  @ManyToOne(() => Milestone, { primary: true, deleteRule: 'cascade' })
  milestone!: Milestone;

  @Index()
  @ManyToOne(() => ChecklistItem, { primary: true, deleteRule: 'cascade' })
  item!: ChecklistItem;
}
