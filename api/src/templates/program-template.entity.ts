import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export interface TemplateMilestone {
  title: string;
  workstream: string | null;
  /** days from the program's start */
  startOffsetDays: number;
  durationDays: number;
}

export interface TemplateChecklistItem {
  title: string;
  ownerTeam: string | null;
  required: boolean;
  dueOffsetDays: number;
}

/** A reusable program shape: standard milestones and a go-live checklist. */
@Entity({ tableName: 'program_template' })
export class ProgramTemplate {
  [OptionalProps]?: 'description' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text', unique: true })
  name!: string;

  @Property({ type: 'text' })
  description: string = '';

  @Property({ type: 'json' })
  milestones!: TemplateMilestone[];

  @Property({ type: 'json' })
  checklist!: TemplateChecklistItem[];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
