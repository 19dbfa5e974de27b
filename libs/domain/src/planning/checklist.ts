export const CHECKLIST_STATES = ['todo', 'done', 'not_applicable', 'blocked'] as const;
export type ChecklistState = (typeof CHECKLIST_STATES)[number];

export interface GateItem {
  id: string;
  title: string;
  required: boolean;
  state: ChecklistState;
}

/** Done or consciously ruled out: the item no longer holds anything back. */
export const isClosed = (state: ChecklistState): boolean => state === 'done' || state === 'not_applicable';

/** Items that keep a wave from going live: required ones that are neither done nor not applicable. */
export function goLiveBlockers<T extends GateItem>(items: readonly T[]): T[] {
  return items.filter((i) => i.required && !isClosed(i.state));
}

/** Items linked to a milestone that keep it from being done: any that are still open. */
export function milestoneBlockers<T extends GateItem>(items: readonly T[]): T[] {
  return items.filter((i) => !isClosed(i.state));
}

export interface Completion {
  closed: number;
  total: number;
  /** 0–100, rounded down; 100 only when everything is closed; 100 for an empty list */
  percent: number;
}

export function completion(items: readonly { state: ChecklistState }[]): Completion {
  const total = items.length;
  const closed = items.filter((i) => isClosed(i.state)).length;
  return { closed, total, percent: total === 0 ? 100 : Math.floor((closed * 100) / total) };
}

/**
 * What a wave without checklist items shows instead of its completion: by `completion` it is 100%
 * (nothing holds its go-live back), but "100% (0 of 0 items)" counts nothing. Show this when
 * `total` is 0.
 */
export const NO_CHECKLIST_ITEMS = 'No checklist items';

export const WAVE_STATUSES = ['planned', 'in_progress', 'live', 'rolled_back'] as const;
export type WaveStatus = (typeof WAVE_STATUSES)[number];

/**
 * The statuses a wave may be given from `status`. A live wave leaves live only by being rolled
 * back, so its go-live stays on record (set straight back to planned, its checklist would reopen
 * with nothing saying why). Going live is itself gated by the checklist (`goLiveBlockers`).
 */
export function waveStatusesFrom(status: WaveStatus): WaveStatus[] {
  return status === 'live' ? ['live', 'rolled_back'] : [...WAVE_STATUSES];
}

/** Why a wave may not be given `to` (what to do instead), or null when it may. */
export function waveStatusRefusal(wave: { name: string; status: WaveStatus }, to: WaveStatus): string | null {
  if (waveStatusesFrom(wave.status).includes(to)) return null;
  return `${wave.name} is live: it leaves live only by being rolled back, so its go-live stays on record. Roll ${wave.name} back first.`;
}

/** What is being done to a wave's list of items: adding one (or moving one in), removing one, or deleting the wave with its list. */
export type ChecklistListChange = 'add' | 'remove' | 'delete_wave';

/**
 * A live wave's checklist is the record of what gated its go-live: while the wave is live no item
 * is added to it or removed from it, so its completion stays what it went live with. Ticking and
 * editing its items stays allowed (items left open by an override still need finishing). A
 * rolled-back wave's checklist is open again. Returns why the change is refused (what blocks and
 * what to do instead), or null when it may be made.
 */
export function checklistClosedReason(wave: { name: string; status: WaveStatus }, change: ChecklistListChange = 'add'): string | null {
  if (wave.status !== 'live') return null;
  if (change === 'delete_wave') return `${wave.name} is live: it and its go-live checklist are the record of its go-live. Roll ${wave.name} back first to delete it.`;
  const instead = change === 'add' ? 'Add the item to a wave that is not live' : 'Mark the item not applicable instead';
  return `${wave.name} is live: its go-live checklist is closed. ${instead}, or roll ${wave.name} back first.`;
}
