import { completion, type ChecklistState, type Completion } from './checklist.js';
import { daysBetween } from './dates.js';

export const HEALTHS = ['on_track', 'at_risk', 'off_track'] as const;
export type Health = (typeof HEALTHS)[number];

export const MILESTONE_STATUSES = ['not_started', 'in_progress', 'blocked', 'done'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/** An update older than this many days is stale. */
export const STALE_AFTER_DAYS = 14;
/** Slip beyond this many days is off track; any slip is a risk. */
export const OFF_TRACK_SLIP_DAYS = 14;
export const OFF_TRACK_OVERDUE = 3;

/** Positive: the milestone is now due later than the baseline promised. */
export function slipDays(dueDate: string | null, baselineDueDate: string | null): number | null {
  if (!dueDate || !baselineDueDate) return null;
  return daysBetween(baselineDueDate, dueDate);
}

export function isOverdue(m: { status: MilestoneStatus; dueDate: string | null }, today: string): boolean {
  return m.status !== 'done' && m.dueDate !== null && m.dueDate < today;
}

export interface SignalInput {
  today: string;
  milestones: readonly { status: MilestoneStatus; dueDate: string | null; baselineDueDate: string | null }[];
  waves: readonly { id: string; name: string; items: readonly { state: ChecklistState }[] }[];
  raciViolations: number;
  /** date of the latest status update, null if there is none */
  lastUpdateDate: string | null;
}

export interface ProgramSignals {
  overdueMilestones: number;
  /** whether some milestone has a due date in the latest baseline: without one, slip cannot be measured */
  baselined: boolean;
  /** largest slip against the latest baseline, in days (0 when nothing slipped or no baseline) */
  maxSlipDays: number;
  /** sum of positive slips, in days */
  totalSlipDays: number;
  checklist: (Completion & { waveId: string; waveName: string })[];
  raciViolations: number;
  daysSinceLastUpdate: number | null;
  stale: boolean;
}

export function programSignals(input: SignalInput): ProgramSignals {
  const slips = input.milestones.map((m) => slipDays(m.dueDate, m.baselineDueDate) ?? 0).filter((d) => d > 0);
  const days = input.lastUpdateDate ? daysBetween(input.lastUpdateDate, input.today) : null;
  return {
    overdueMilestones: input.milestones.filter((m) => isOverdue(m, input.today)).length,
    baselined: input.milestones.some((m) => m.baselineDueDate !== null),
    maxSlipDays: slips.length ? Math.max(...slips) : 0,
    totalSlipDays: slips.reduce((a, b) => a + b, 0),
    checklist: input.waves.map((w) => ({ waveId: w.id, waveName: w.name, ...completion(w.items) })),
    raciViolations: input.raciViolations,
    daysSinceLastUpdate: days,
    stale: days === null || days > STALE_AFTER_DAYS,
  };
}

export interface ComputedHealth {
  health: Health;
  /** why, in words a leader reads; empty when on track */
  reasons: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The health the numbers say, to set beside the health the owner reported. */
export function computedHealth(s: ProgramSignals): ComputedHealth {
  const off: string[] = [];
  const risk: string[] = [];
  if (s.maxSlipDays > OFF_TRACK_SLIP_DAYS) off.push(`a milestone slipped ${plural(s.maxSlipDays, 'day')} against the baseline`);
  else if (s.maxSlipDays > 0) risk.push(`a milestone slipped ${plural(s.maxSlipDays, 'day')} against the baseline`);
  if (s.overdueMilestones >= OFF_TRACK_OVERDUE) off.push(`${plural(s.overdueMilestones, 'milestone')} overdue`);
  else if (s.overdueMilestones > 0) risk.push(`${plural(s.overdueMilestones, 'milestone')} overdue`);
  if (s.raciViolations > 0) risk.push(`${plural(s.raciViolations, 'RACI gap')}`);
  if (s.stale) risk.push(s.daysSinceLastUpdate === null ? 'no status update yet' : `last update ${plural(s.daysSinceLastUpdate, 'day')} ago`);
  if (off.length) return { health: 'off_track', reasons: [...off, ...risk] };
  if (risk.length) return { health: 'at_risk', reasons: risk };
  return { health: 'on_track', reasons: [] };
}
