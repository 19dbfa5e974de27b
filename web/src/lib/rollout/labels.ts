import type { ChecklistState, WaveStatus } from './api';

export const STATE_WORDS: Record<ChecklistState, string> = {
  todo: 'To do',
  done: 'Done',
  not_applicable: 'N/A',
  blocked: 'Blocked',
};

/** Longer words for screen readers and forms. */
export const STATE_LONG: Record<ChecklistState, string> = {
  todo: 'To do',
  done: 'Done',
  not_applicable: 'Not applicable',
  blocked: 'Blocked',
};

export const WAVE_STATUS_WORDS: Record<WaveStatus, string> = {
  planned: 'Planned',
  in_progress: 'In progress',
  live: 'Live',
  rolled_back: 'Rolled back',
};

/** Not applicable and blocked must say why (the api refuses them without a reason). */
export const needsReason = (state: ChecklistState): boolean => state === 'not_applicable' || state === 'blocked';

export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
