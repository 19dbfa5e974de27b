import { isOverdue, slipDays, type ChecklistState, type MilestoneStatus } from '@tandem/domain';
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

/** What a milestone is linked to, read in bulk for a page of milestones. */
export interface MilestoneExtras {
  baseline: BaselineDates | null;
  links: readonly { id: string; state: ChecklistState }[];
  open: number;
  today: string;
}

export function milestoneView(m: Milestone, extras: MilestoneExtras): MilestoneView {
  return {
    id: m.id,
    programId: m.program.id,
    title: m.title,
    description: m.description,
    owner: m.owner ? { id: m.owner.id, name: m.owner.name } : null,
    startDate: m.startDate,
    dueDate: m.dueDate,
    status: m.status,
    position: m.position,
    workstream: m.workstream,
    completedAt: m.completedAt?.toISOString() ?? null,
    baseline: extras.baseline,
    slipDays: slipDays(m.dueDate, extras.baseline?.dueDate ?? null),
    overdue: isOverdue(m, extras.today),
    checklistItemIds: extras.links.map((l) => l.id),
    openChecklistItems: extras.open,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
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
