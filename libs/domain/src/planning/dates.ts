/** Calendar dates are `YYYY-MM-DD` strings everywhere: no time zones, no off-by-one at midnight. */
const DAY_MS = 86_400_000;

export function toDayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function addDays(date: string, days: number): string {
  return new Date((toDayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A template milestone: when it starts after the program does, and for how long. */
export interface TemplateMilestoneSpan {
  startOffsetDays: number;
  durationDays: number;
}

/** A template milestone's dates in a program that starts on `startDate`. */
export function templateMilestoneDates(startDate: string, m: TemplateMilestoneSpan): { start: string; due: string } {
  const start = addDays(startDate, m.startOffsetDays);
  return { start, due: addDays(start, m.durationDays) };
}

/** The target date of a program started from a template: its last milestone's due date (the start without milestones). */
export function templateTarget(startDate: string, milestones: readonly TemplateMilestoneSpan[]): string {
  return milestones.reduce((target, m) => {
    const { due } = templateMilestoneDates(startDate, m);
    return due > target ? due : target;
  }, startDate);
}
