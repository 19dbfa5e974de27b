import type { ProgramTemplate } from '@tandem/api-client';

export type { ProgramTemplate };

/** The parts of a template the new-program form describes. */
type Shape = Pick<ProgramTemplate, 'milestones' | 'checklist'>;

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Days from the program's start to the end of its last milestone (0 without milestones). */
export function templateSpanDays(t: Shape): number {
  return t.milestones.reduce((end, m) => Math.max(end, m.startOffsetDays + m.durationDays), 0);
}

/** "17 weeks", or "10 days" for a span shorter than two weeks. */
function span(days: number): string {
  return days < 14 ? count(days, 'day', 'days') : count(Math.ceil(days / 7), 'week', 'weeks');
}

/** What a template brings, in one line: "8 milestones over 17 weeks · a go-live checklist of 6 items". */
export function templateSummary(t: Shape): string {
  const parts: string[] = [];
  const days = templateSpanDays(t);
  if (t.milestones.length) parts.push(`${count(t.milestones.length, 'milestone', 'milestones')}${days > 0 ? ` over ${span(days)}` : ''}`);
  else parts.push('no milestones');
  if (t.checklist.length) parts.push(`a go-live checklist of ${count(t.checklist.length, 'item', 'items')}`);
  else parts.push('no checklist');
  return parts.join(' · ');
}

/** "2 weeks", "10 days": whole weeks as weeks. */
export function durationLabel(days: number): string {
  return days !== 0 && days % 7 === 0 ? count(days / 7, 'week', 'weeks') : count(days, 'day', 'days');
}

/** When a template milestone starts: "from the start", "from week 3" (day 14 is the first of week 3). */
export function startLabel(offsetDays: number): string {
  return offsetDays <= 0 ? 'from the start' : `from week ${Math.floor(offsetDays / 7) + 1}`;
}

/** "1 week before go-live", "on go-live day", "3 days after go-live": a checklist item's due offset. */
export function dueOffsetLabel(days: number): string {
  if (days === 0) return 'on go-live day';
  return `${durationLabel(Math.abs(days))} ${days < 0 ? 'before' : 'after'} go-live`;
}
