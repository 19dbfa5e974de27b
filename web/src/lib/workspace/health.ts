import type { Health, MilestoneStatus } from '@tandem/domain';

export type { Health, MilestoneStatus };

const HEALTH_LABELS: Record<Health, string> = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' };
const MILESTONE_STATUS_LABELS: Record<MilestoneStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
};

export const healthLabel = (h: Health): string => HEALTH_LABELS[h] ?? h;
export const milestoneStatusLabel = (s: MilestoneStatus): string => MILESTONE_STATUS_LABELS[s] ?? s;

/** "+5 days", "−2 days", "On baseline", or "—" without a baseline. */
export function slipLabel(days: number | null): string {
  if (days === null) return '—';
  if (days === 0) return 'On baseline';
  const n = Math.abs(days);
  return `${days > 0 ? '+' : '−'}${n} ${n === 1 ? 'day' : 'days'}`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
