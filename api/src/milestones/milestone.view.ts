import { isClosed, isOverdue, slipDays, type ChecklistState, type MilestoneStatus } from '@tandem/domain';
import type { BaselineDates } from '../signals/signals.service';
import type { Baseline, Milestone } from './milestone.entity';

export interface MilestoneView {
  id: string;
  programId: string;
  title: string;
  description: string;
  owner: { id: string; name: string } | null;
  startDate: string | null;
  dueDate: string | null;
  status: MilestoneStatus;
  position: number;
  workstream: string | null;
  completedAt: string | null;
  /** the milestone's dates in the program's latest baseline; null without one (or if added since) */
  baseline: BaselineDates | null;
  /** days the due date moved against the latest baseline (positive: later) */
  slipDays: number | null;
  overdue: boolean;
  checklistItemIds: string[];
  openChecklistItems: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * One milestone with what it is measured against, as the reader's one statement returns it
 * (`MilestoneReader`): plain columns, timestamps as PostgreSQL's text.
 */
export interface MilestoneRow {
  id: string;
  program_id: string;
  title: string;
  description: string;
  owner_id: string | null;
  owner_name: string | null;
  start_date: string | null;
  due_date: string | null;
  status: MilestoneStatus;
  position: number;
  workstream: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  /** whether the program's latest baseline holds the milestone (its dates there may be null) */
  in_baseline: boolean;
  baseline_start_date: string | null;
  baseline_due_date: string | null;
  /** the linked checklist items, by item position then id; null without any */
  item_ids: string[] | null;
  item_states: ChecklistState[] | null;
}

/** Timestamps as `toISOString` writes them, from PostgreSQL's text (parsed as the ORM parses it). */
export type ParseTimestamp = (text: string) => Date;

export function milestoneView(m: MilestoneRow, today: string, parse: ParseTimestamp): MilestoneView {
  const baseline = m.in_baseline ? { startDate: m.baseline_start_date, dueDate: m.baseline_due_date } : null;
  const states = m.item_states ?? [];
  return {
    id: m.id,
    programId: m.program_id,
    title: m.title,
    description: m.description,
    owner: m.owner_id && m.owner_name !== null ? { id: m.owner_id, name: m.owner_name } : null,
    startDate: m.start_date,
    dueDate: m.due_date,
    status: m.status,
    position: m.position,
    workstream: m.workstream,
    completedAt: m.completed_at === null ? null : parse(m.completed_at).toISOString(),
    baseline,
    slipDays: slipDays(m.due_date, baseline?.dueDate ?? null),
    overdue: isOverdue({ status: m.status, dueDate: m.due_date }, today),
    checklistItemIds: m.item_ids ?? [],
    openChecklistItems: states.filter((state) => !isClosed(state)).length,
    createdAt: parse(m.created_at).toISOString(),
    updatedAt: parse(m.updated_at).toISOString(),
  };
}

/** A linked checklist item that keeps a milestone from being done. */
export interface ChecklistBlocker {
  id: string;
  title: string;
  state: ChecklistState;
  waveId: string;
}

export interface BaselineView {
  id: string;
  label: string | null;
  createdBy: { id: string; name: string };
  createdAt: string;
  /** how many milestones' dates it holds */
  milestoneCount: number;
}

export const baselineView = (b: Baseline, milestoneCount: number): BaselineView => ({
  id: b.id,
  label: b.label,
  createdBy: { id: b.createdBy.id, name: b.createdBy.name },
  createdAt: b.createdAt.toISOString(),
  milestoneCount,
});

/** A deleted milestone that can be restored (`POST /milestones/:id/restore`). */
export interface DeletedMilestoneView {
  id: string;
  title: string;
  deletedAt: string;
  deletedBy: { id: string; name: string } | null;
}

export interface DependencyView {
  predecessorId: string;
  successorId: string;
}

/** The fields the activity log tracks, as plain values (the owner by id). */
export const TRACKED = ['title', 'description', 'owner', 'startDate', 'dueDate', 'status', 'position', 'workstream'] as const;
export type MilestoneSnapshot = Record<(typeof TRACKED)[number], string | number | null>;

export const snapshot = (m: Milestone): MilestoneSnapshot => ({
  title: m.title,
  description: m.description,
  owner: m.owner?.id ?? null,
  startDate: m.startDate,
  dueDate: m.dueDate,
  status: m.status,
  position: m.position,
  workstream: m.workstream,
});

/** Nothing: the "before" of a creation and the "after" of a deletion. */
export const EMPTY_SNAPSHOT: MilestoneSnapshot = Object.fromEntries(TRACKED.map((f) => [f, null])) as MilestoneSnapshot;
