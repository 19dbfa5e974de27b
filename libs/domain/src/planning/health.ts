import { completion, type Completion, type WaveStatus } from './checklist.js';
import { daysBetween } from './dates.js';
import { isOverdueChecklistItem, OFF_TRACK_GO_LIVE_DAYS, OFF_TRACK_GO_LIVES, overdueGoLives, type DatedChecklistItem, type OverdueGoLive } from './golive.js';
import { raciGapWords } from './raci.js';
import { listWords, plural } from './words.js';

export const HEALTHS = ['on_track', 'at_risk', 'off_track'] as const;
export type Health = (typeof HEALTHS)[number];

export const MILESTONE_STATUSES = ['not_started', 'in_progress', 'blocked', 'done'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/** An update older than this many days is stale. */
export const STALE_AFTER_DAYS = 14;
/** Slip beyond this many days is off track; any slip is a risk. */
export const OFF_TRACK_SLIP_DAYS = 14;
/** This many overdue items (milestones and go-live checklist items together) are off track; any is a risk. */
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
  waves: readonly { id: string; name: string; status: WaveStatus; plannedGoLive: string | null; items: readonly DatedChecklistItem[] }[];
  /** activities (RACI rows) that break the RACI rule: `raciGaps(violations).length` */
  raciViolations: number;
  /** date of the latest status update, null if there is none */
  lastUpdateDate: string | null;
}

export type WaveSignals = Completion & {
  waveId: string;
  waveName: string;
  /** the wave's status: which wave a rollout is on (`currentWave`) */
  status: WaveStatus;
  /** required items still open past their due date while the wave is not live (`isOverdueChecklistItem`) */
  overdueItems: number;
};

export interface ProgramSignals {
  overdueMilestones: number;
  /** waves not live whose planned go-live has passed, latest first */
  overdueGoLives: OverdueGoLive[];
  /** checklist items gating a go-live still to come, past their due date: the sum of the waves' `overdueItems` */
  overdueChecklistItems: number;
  /** whether some milestone has a due date in the latest baseline: without one, slip cannot be measured */
  baselined: boolean;
  /** largest slip against the latest baseline, in days (0 when nothing slipped or no baseline) */
  maxSlipDays: number;
  /** sum of positive slips, in days */
  totalSlipDays: number;
  checklist: WaveSignals[];
  /** activities with RACI gaps (see `raciGaps`), not rule breaches */
  raciViolations: number;
  daysSinceLastUpdate: number | null;
  stale: boolean;
}

export function programSignals(input: SignalInput): ProgramSignals {
  const slips = input.milestones.map((m) => slipDays(m.dueDate, m.baselineDueDate) ?? 0).filter((d) => d > 0);
  const days = input.lastUpdateDate ? daysBetween(input.lastUpdateDate, input.today) : null;
  const checklist = input.waves.map((w) => ({
    waveId: w.id,
    waveName: w.name,
    status: w.status,
    ...completion(w.items),
    overdueItems: w.items.filter((i) => isOverdueChecklistItem(i, w, input.today)).length,
  }));
  return {
    overdueMilestones: input.milestones.filter((m) => isOverdue(m, input.today)).length,
    overdueGoLives: overdueGoLives(input.waves, input.today),
    overdueChecklistItems: checklist.reduce((n, w) => n + w.overdueItems, 0),
    baselined: input.milestones.some((m) => m.baselineDueDate !== null),
    maxSlipDays: slips.length ? Math.max(...slips) : 0,
    totalSlipDays: slips.reduce((a, b) => a + b, 0),
    checklist,
    raciViolations: input.raciViolations,
    daysSinceLastUpdate: days,
    stale: days === null || days > STALE_AFTER_DAYS,
  };
}

/**
 * The wave a rollout is on: the first one (in wave order) that is not live, else the last. Null
 * without waves.
 */
export function currentWave<W extends { status: WaveStatus }>(waves: readonly W[]): W | null {
  return waves.find((w) => w.status !== 'live') ?? waves[waves.length - 1] ?? null;
}

export interface ComputedHealth {
  health: Health;
  /** why, in words a leader reads; empty when on track */
  reasons: string[];
}

/** Everything overdue: missed go-lives, overdue milestones and overdue go-live checklist items (the portfolio sorts by it). */
export function overdueCount(s: Pick<ProgramSignals, 'overdueGoLives' | 'overdueMilestones' | 'overdueChecklistItems'>): number {
  return s.overdueGoLives.length + s.overdueMilestones + s.overdueChecklistItems;
}

/** "Pilot go-live overdue by 5 days (planned 2026-06-10)", "2 go-lives overdue: Pilot by 12 days, Wave 1 by 3 days". */
export function overdueGoLiveWords(goLives: readonly OverdueGoLive[]): string {
  if (goLives.length === 1) {
    const g = goLives[0]!;
    return `${g.waveName} go-live overdue by ${plural(g.daysLate, 'day')} (planned ${g.plannedGoLive}${g.status === 'rolled_back' ? ', rolled back' : ''})`;
  }
  return `${goLives.length} go-lives overdue: ${goLives.map((g) => `${g.waveName} by ${plural(g.daysLate, 'day')}`).join(', ')}`;
}

/** "3 go-live checklist items overdue, gating Pilot and Wave 1". */
export function overdueChecklistWords(s: Pick<ProgramSignals, 'overdueChecklistItems' | 'checklist'>): string {
  const waves = s.checklist.filter((w) => w.overdueItems > 0).map((w) => w.waveName);
  return `${plural(s.overdueChecklistItems, 'go-live checklist item')} overdue, gating ${listWords(waves)}`;
}

/**
 * The health the numbers say, to set beside the health the owner reported. A missed go-live is a
 * risk; two, or one more than OFF_TRACK_GO_LIVE_DAYS late, are off track. Overdue milestones and
 * overdue go-live checklist items are overdue items together: any is a risk, OFF_TRACK_OVERDUE
 * or more off track.
 */
export function computedHealth(s: ProgramSignals): ComputedHealth {
  const off: string[] = [];
  const risk: string[] = [];
  if (s.overdueGoLives.length) {
    const late = s.overdueGoLives.length >= OFF_TRACK_GO_LIVES || s.overdueGoLives.some((g) => g.daysLate > OFF_TRACK_GO_LIVE_DAYS);
    (late ? off : risk).push(overdueGoLiveWords(s.overdueGoLives));
  }
  if (s.maxSlipDays > OFF_TRACK_SLIP_DAYS) off.push(`a milestone slipped ${plural(s.maxSlipDays, 'day')} against the baseline`);
  else if (s.maxSlipDays > 0) risk.push(`a milestone slipped ${plural(s.maxSlipDays, 'day')} against the baseline`);
  const overdue = s.overdueMilestones + s.overdueChecklistItems >= OFF_TRACK_OVERDUE ? off : risk;
  if (s.overdueMilestones > 0) overdue.push(`${plural(s.overdueMilestones, 'milestone')} overdue`);
  if (s.overdueChecklistItems > 0) overdue.push(overdueChecklistWords(s));
  if (s.raciViolations > 0) risk.push(raciGapWords(s.raciViolations));
  if (s.stale) risk.push(s.daysSinceLastUpdate === null ? 'no status update yet' : `last update ${plural(s.daysSinceLastUpdate, 'day')} ago`);
  if (off.length) return { health: 'off_track', reasons: [...off, ...risk] };
  if (risk.length) return { health: 'at_risk', reasons: risk };
  return { health: 'on_track', reasons: [] };
}
