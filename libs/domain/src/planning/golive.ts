import { isClosed, type ChecklistState, type WaveStatus } from './checklist.js';
import { daysBetween } from './dates.js';

/**
 * What is overdue in a rollout. A missed go-live is the most visible miss a rollout has, so it
 * weighs on computed health on its own (see `computedHealth`): any overdue go-live is a risk; a
 * go-live more than OFF_TRACK_GO_LIVE_DAYS late, or OFF_TRACK_GO_LIVES of them at once, is off
 * track. Checklist items that gate a go-live still to come and are past their due date are
 * overdue items, counted with the overdue milestones.
 */

/** A go-live missed by more than this many days puts the program off track. */
export const OFF_TRACK_GO_LIVE_DAYS = 7;
/** This many missed go-lives at once put the program off track. */
export const OFF_TRACK_GO_LIVES = 2;

export interface GoLiveWave {
  id: string;
  name: string;
  status: WaveStatus;
  plannedGoLive: string | null;
}

export interface OverdueGoLive {
  waveId: string;
  waveName: string;
  plannedGoLive: string;
  /** planned, in progress or rolled back: anything but live */
  status: WaveStatus;
  /** whole days since the planned go-live, at least 1 */
  daysLate: number;
}

/**
 * Days since the wave should have gone live, or null when it is not overdue: it is live, has no
 * planned date, or the date is today or later. A rolled-back wave is not live, so a passed date
 * makes it overdue again.
 */
export function goLiveDaysLate(wave: Pick<GoLiveWave, 'status' | 'plannedGoLive'>, today: string): number | null {
  if (wave.status === 'live' || wave.plannedGoLive === null || wave.plannedGoLive >= today) return null;
  return daysBetween(wave.plannedGoLive, today);
}

/** The waves whose go-live is overdue, latest first (the longest miss leads), then in wave order. */
export function overdueGoLives(waves: readonly GoLiveWave[], today: string): OverdueGoLive[] {
  const out: OverdueGoLive[] = [];
  for (const w of waves) {
    const daysLate = goLiveDaysLate(w, today);
    if (daysLate !== null) out.push({ waveId: w.id, waveName: w.name, plannedGoLive: w.plannedGoLive!, status: w.status, daysLate });
  }
  // Array.prototype.sort is stable: equal misses keep wave order
  return out.sort((a, b) => b.daysLate - a.daysLate);
}

export interface DatedChecklistItem {
  state: ChecklistState;
  required: boolean;
  dueDate: string | null;
}

/**
 * An item is overdue when it gates a go-live that has not happened — required, still open (not
 * done, not ruled out), on a wave that is not live — and its due date has passed. Optional items
 * gate nothing; the items of a live wave no longer gate its go-live (an override left them open;
 * the wave's overdue go-live, if any, is what counts then — and a live wave has none).
 */
export function isOverdueChecklistItem(item: DatedChecklistItem, wave: { status: WaveStatus }, today: string): boolean {
  return wave.status !== 'live' && item.required && !isClosed(item.state) && item.dueDate !== null && item.dueDate < today;
}
