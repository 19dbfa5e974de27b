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

export const WAVE_STATUSES = ['planned', 'in_progress', 'live', 'rolled_back'] as const;
export type WaveStatus = (typeof WAVE_STATUSES)[number];
