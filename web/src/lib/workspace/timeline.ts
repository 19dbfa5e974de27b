import { addDays, daysBetween, todayUtc } from '@tandem/domain';
import type { Dependency, DependencyViolation, Milestone } from './api';

/** Dates as the timeline draws them: a milestone with one date is a one-day mark. */
export interface Span {
  start: string;
  due: string;
}

export interface Row {
  m: Milestone;
  span: Span;
  /** only one of start/due is set: drawn as a diamond */
  point: boolean;
  baseline: Span | null;
}

export const ROW_HEIGHT = 40;
export const BAR_HEIGHT = 18;

export function rowsOf(milestones: Milestone[]): Row[] {
  return milestones.flatMap((m) => {
    const start = m.startDate ?? m.dueDate;
    const due = m.dueDate ?? m.startDate;
    if (!start || !due) return [];
    const bs = m.baseline?.startDate ?? m.baseline?.dueDate ?? null;
    const bd = m.baseline?.dueDate ?? m.baseline?.startDate ?? null;
    return [{ m, span: { start, due }, point: !m.startDate || !m.dueDate, baseline: bs && bd ? { start: bs, due: bd } : null }];
  });
}

/** The dates shown, padded by a week; always includes today. */
export function domainOf(rows: Row[], today = todayUtc()): [string, string] {
  const dates = [today, ...rows.flatMap((r) => [r.span.start, r.span.due, ...(r.baseline ? [r.baseline.start, r.baseline.due] : [])])];
  dates.sort();
  return [addDays(dates[0]!, -7), addDays(dates[dates.length - 1]!, 8)];
}

export const asDate = (day: string): Date => new Date(`${day}T00:00:00Z`);

/** Moves the whole span (`resize` false) or only its due date, never before the start. */
export function shift(span: Span, days: number, resize: boolean, point: boolean): Span {
  if (resize && !point) {
    const due = addDays(span.due, days);
    return { start: span.start, due: daysBetween(span.start, due) < 0 ? span.start : due };
  }
  return { start: addDays(span.start, days), due: addDays(span.due, days) };
}

/** The PATCH body for a moved span: only the dates the milestone has. */
export function datesBody(m: Milestone, span: Span): { startDate?: string; dueDate?: string } {
  const body: { startDate?: string; dueDate?: string } = {};
  if (m.startDate) body.startDate = span.start;
  if (m.dueDate) body.dueDate = span.due;
  return body;
}

export const sameSpan = (a: Span, b: Span): boolean => a.start === b.start && a.due === b.due;

export interface Arrow {
  key: string;
  d: string;
  violation: boolean;
  label: string;
}

/** Elbow paths from a predecessor's end to its successor's start (x in px, rows by index). */
export function arrowsOf(
  deps: Dependency[],
  violations: DependencyViolation[],
  rows: Row[],
  spanOf: (r: Row) => Span,
  x: (day: string) => number,
): Arrow[] {
  const index = new Map(rows.map((r, i) => [r.m.id, i]));
  return deps.flatMap((dep) => {
    const a = index.get(dep.predecessorId);
    const b = index.get(dep.successorId);
    if (a === undefined || b === undefined) return [];
    const from = rows[a]!;
    const to = rows[b]!;
    const x1 = x(addDays(spanOf(from).due, 1));
    const x2 = x(spanOf(to).start);
    const y1 = a * ROW_HEIGHT + ROW_HEIGHT / 2;
    const y2 = b * ROW_HEIGHT + ROW_HEIGHT / 2;
    const turn = x1 + 8;
    const d =
      x2 >= turn + 4
        ? `M${x1},${y1} H${turn} V${y2} H${x2 - 2}`
        : `M${x1},${y1} H${turn} V${(y1 + y2) / 2} H${x2 - 10} V${y2} H${x2 - 2}`;
    const violation = violations.some((v) => v.predecessorId === dep.predecessorId && v.successorId === dep.successorId);
    return [{ key: `${dep.predecessorId}-${dep.successorId}`, d, violation, label: `"${to.m.title}" waits for "${from.m.title}"` }];
  });
}
