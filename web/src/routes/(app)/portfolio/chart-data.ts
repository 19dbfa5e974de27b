/** Turns status updates and milestones into what the portfolio's two charts draw. */
import type { Milestone, StatusUpdate } from '@tandem/api-client';
import type { Health } from '@tandem/domain';
import { addDays } from './days';

/** How far back the health chart looks. */
export const HISTORY_DAYS = 120;

/** The health chart's first day (YYYY-MM-DD). */
export const historyFrom = (today: string): string => addDays(today, -HISTORY_DAYS);

export interface HealthSegment {
  /** the status update that set this health: one segment each, so it keys the segment */
  id: string;
  program: string;
  name: string;
  health: Health;
  start: Date;
  end: Date;
  /** the day the update that set this health was posted (YYYY-MM-DD) */
  since: string;
  /** the day the next update changed it; null while it still holds */
  until: string | null;
}

const day = (iso: string) => iso.slice(0, 10);
const asDate = (d: string) => new Date(`${d}T00:00:00Z`);

/**
 * One segment per stretch of reported health, from each update to the next (the last runs to the
 * end of today, the chart's right edge). A health reported before the window starts is shown from
 * the window's start.
 */
export function healthSegments(programs: readonly { key: string; name: string; updates: readonly StatusUpdate[] }[], today: string): { segments: HealthSegment[]; from: string } {
  const from = historyFrom(today);
  const segments: HealthSegment[] = [];
  for (const p of programs) {
    const ups = [...p.updates].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    ups.forEach((u, i) => {
      const next = ups[i + 1];
      const start = day(u.createdAt) < from ? from : day(u.createdAt);
      const until = next ? day(next.createdAt) : null;
      if (until !== null && until <= from) return;
      const end = until ?? addDays(today, 1);
      // replaced the same day: still a sliver, so it shows
      const endDate = end > start ? asDate(end) : new Date(asDate(start).getTime() + 21_600_000);
      segments.push({ id: u.id, program: p.key, name: p.name, health: u.health, start: asDate(start), end: endDate, since: day(u.createdAt), until });
    });
  }
  return { segments, from };
}

export type MilestoneState = 'done' | 'overdue' | 'upcoming';

export interface MilestonePoint {
  id: string;
  program: string;
  title: string;
  date: Date;
  due: string;
  state: MilestoneState;
  slipDays: number | null;
}

export function milestonePoints(programs: readonly { key: string; milestones: readonly Milestone[] }[]): MilestonePoint[] {
  return programs.flatMap((p) =>
    p.milestones
      .filter((m) => m.dueDate !== null)
      .map((m) => ({
        id: m.id,
        program: p.key,
        title: m.title,
        date: asDate(m.dueDate!),
        due: m.dueDate!,
        state: m.status === 'done' ? 'done' : m.overdue ? 'overdue' : 'upcoming',
        slipDays: m.slipDays,
      })),
  );
}

/** The dates a timeline should span: every milestone, today, a little room either side. */
export function timelineDomain(points: readonly MilestonePoint[], today: string): [Date, Date] {
  const days = [today, ...points.map((p) => p.due)].sort();
  return [asDate(addDays(days[0]!, -7)), asDate(addDays(days[days.length - 1]!, 7))];
}

export const todayDate = (today: string): Date => asDate(today);
/** The end of today: the health chart's right edge. */
export const endOfDay = (today: string): Date => asDate(addDays(today, 1));
