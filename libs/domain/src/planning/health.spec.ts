import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from './dates.js';
import { computedHealth, isOverdue, programSignals, slipDays, type SignalInput } from './health.js';

const today = '2026-06-15';
const base: SignalInput = { today, milestones: [], waves: [], raciViolations: 0, lastUpdateDate: '2026-06-10' };

describe('dates', () => {
  it('counts calendar days across month and year ends', () => {
    expect(daysBetween('2026-01-31', '2026-03-01')).toBe(29);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('slip and overdue', () => {
  it('measures slip against the baseline in days, later is positive', () => {
    expect(slipDays('2026-06-20', '2026-06-15')).toBe(5);
    expect(slipDays('2026-06-10', '2026-06-15')).toBe(-5);
    expect(slipDays('2026-06-10', null)).toBeNull();
  });
  it('counts only unfinished milestones due before today as overdue', () => {
    expect(isOverdue({ status: 'in_progress', dueDate: '2026-06-14' }, today)).toBe(true);
    expect(isOverdue({ status: 'done', dueDate: '2026-06-14' }, today)).toBe(false);
    expect(isOverdue({ status: 'in_progress', dueDate: today }, today)).toBe(false);
  });
});

describe('programSignals and computedHealth', () => {
  it('is on track with a fresh update, no slip, nothing overdue', () => {
    const s = programSignals({ ...base, milestones: [{ status: 'in_progress', dueDate: '2026-07-01', baselineDueDate: '2026-07-01' }] });
    expect(s).toMatchObject({ overdueMilestones: 0, maxSlipDays: 0, totalSlipDays: 0, daysSinceLastUpdate: 5, stale: false });
    expect(computedHealth(s)).toEqual({ health: 'on_track', reasons: [] });
  });

  it('is at risk with a small slip, and says why', () => {
    const s = programSignals({ ...base, milestones: [{ status: 'not_started', dueDate: '2026-07-06', baselineDueDate: '2026-07-01' }] });
    expect(computedHealth(s)).toEqual({ health: 'at_risk', reasons: ['a milestone slipped 5 days against the baseline'] });
  });

  it('is off track when a milestone slipped more than two weeks', () => {
    const s = programSignals({
      ...base,
      milestones: [
        { status: 'not_started', dueDate: '2026-08-01', baselineDueDate: '2026-07-01' },
        { status: 'not_started', dueDate: '2026-07-03', baselineDueDate: '2026-07-01' },
      ],
    });
    expect(s.maxSlipDays).toBe(31);
    expect(s.totalSlipDays).toBe(33);
    expect(computedHealth(s).health).toBe('off_track');
  });

  it('flags a stale program and RACI gaps as risks', () => {
    const s = programSignals({ ...base, raciViolations: 2, lastUpdateDate: '2026-05-01' });
    expect(s.stale).toBe(true);
    expect(computedHealth(s).reasons).toEqual(['2 RACI gaps', 'last update 45 days ago']);
    expect(computedHealth(programSignals({ ...base, lastUpdateDate: null })).reasons).toEqual(['no status update yet']);
  });

  it('tells a plan without a baseline from one that has not slipped', () => {
    const undated = { status: 'not_started' as const, dueDate: '2026-07-01', baselineDueDate: null };
    expect(programSignals({ ...base, milestones: [undated] })).toMatchObject({ baselined: false, maxSlipDays: 0 });
    expect(programSignals(base).baselined).toBe(false);
    const kept = { status: 'not_started' as const, dueDate: '2026-07-01', baselineDueDate: '2026-07-01' };
    expect(programSignals({ ...base, milestones: [undated, kept] })).toMatchObject({ baselined: true, maxSlipDays: 0 });
  });

  it('reports checklist completion per wave', () => {
    const s = programSignals({ ...base, waves: [{ id: 'w1', name: 'Pilot', items: [{ state: 'done' }, { state: 'todo' }] }] });
    expect(s.checklist).toEqual([{ waveId: 'w1', waveName: 'Pilot', closed: 1, total: 2, percent: 50 }]);
  });
});
