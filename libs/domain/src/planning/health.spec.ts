import { describe, expect, it } from 'vitest';
import type { WaveStatus } from './checklist.js';
import { addDays, daysBetween } from './dates.js';
import { computedHealth, currentWave, isOverdue, overdueCount, programSignals, slipDays, type SignalInput } from './health.js';

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
    // RACI gaps count activities (rows), whatever number of rules each breaks
    expect(computedHealth(s).reasons).toEqual(['2 activities with RACI gaps', 'last update 45 days ago']);
    expect(computedHealth(programSignals({ ...base, raciViolations: 1 })).reasons).toEqual(['1 activity with a RACI gap']);
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
    const items = [{ state: 'done' as const, required: true, dueDate: null }, { state: 'todo' as const, required: true, dueDate: null }];
    const s = programSignals({ ...base, waves: [{ id: 'w1', name: 'Pilot', status: 'planned', plannedGoLive: null, items }] });
    expect(s.checklist).toEqual([{ waveId: 'w1', waveName: 'Pilot', status: 'planned', closed: 1, total: 2, percent: 50, overdueItems: 0 }]);
  });
});

describe('the current wave', () => {
  const w = (id: string, status: WaveStatus, percent = 0) => ({ waveId: id, status, percent });

  it('is the first wave not live, whatever its checklist says', () => {
    // Pilot went live over an open item (an override): the rollout is on Wave 1, not on Pilot
    expect(currentWave([w('pilot', 'live', 80), w('w1', 'planned', 100), w('ga', 'planned')])?.waveId).toBe('w1');
    // a rolled-back wave is not live: the rollout is back on it
    expect(currentWave([w('pilot', 'live', 100), w('w1', 'rolled_back', 100), w('ga', 'in_progress')])?.waveId).toBe('w1');
  });

  it('is the last wave once every wave is live, and none without waves', () => {
    expect(currentWave([w('pilot', 'live'), w('ga', 'live')])?.waveId).toBe('ga');
    expect(currentWave([])).toBeNull();
  });

  it('reads the statuses the signals carry', () => {
    const s = programSignals({ ...base, waves: [{ id: 'p', name: 'Pilot', status: 'live', plannedGoLive: null, items: [{ state: 'todo', required: true, dueDate: null }] }, { id: 'g', name: 'GA', status: 'planned', plannedGoLive: null, items: [] }] });
    expect(currentWave(s.checklist)?.waveName).toBe('GA');
  });
});

describe('the rollout in computed health', () => {
  type WaveInput = SignalInput['waves'][number];
  const open = (dueDate: string | null, required = true) => ({ state: 'todo' as const, required, dueDate });
  const wave = (name: string, status: WaveInput['status'], plannedGoLive: string | null, items: WaveInput['items'] = []): WaveInput => ({ id: name, name, status, plannedGoLive, items });

  it('makes a missed go-live a risk, and says which wave and how late', () => {
    const s = programSignals({ ...base, waves: [wave('Pilot', 'live', '2026-06-01'), wave('Wave 1', 'in_progress', '2026-06-10')] });
    expect(s.overdueGoLives).toEqual([{ waveId: 'Wave 1', waveName: 'Wave 1', plannedGoLive: '2026-06-10', status: 'in_progress', daysLate: 5 }]);
    expect(computedHealth(s)).toEqual({ health: 'at_risk', reasons: ['Wave 1 go-live overdue by 5 days (planned 2026-06-10)'] });
    expect(overdueCount(s)).toBe(1);
  });

  it('is off track for a go-live more than a week late, or two missed at once', () => {
    const week = programSignals({ ...base, waves: [wave('Pilot', 'planned', '2026-06-08')] });
    expect(computedHealth(week).health).toBe('at_risk');
    const long = programSignals({ ...base, waves: [wave('Pilot', 'rolled_back', '2026-06-07')] });
    expect(computedHealth(long)).toEqual({ health: 'off_track', reasons: ['Pilot go-live overdue by 8 days (planned 2026-06-07, rolled back)'] });
    const two = programSignals({ ...base, waves: [wave('Pilot', 'in_progress', '2026-06-12'), wave('Wave 1', 'planned', '2026-06-13')] });
    expect(computedHealth(two)).toEqual({ health: 'off_track', reasons: ['2 go-lives overdue: Pilot by 3 days, Wave 1 by 2 days'] });
  });

  it('counts checklist items gating a go-live still to come as overdue items, with the milestones', () => {
    const items = [open('2026-06-14'), open('2026-06-01'), open('2026-06-14', false), { state: 'done' as const, required: true, dueDate: '2026-06-01' }, open('2026-06-20')];
    const s = programSignals({ ...base, waves: [wave('Pilot', 'live', '2026-06-01', [open('2026-05-30')]), wave('Wave 1', 'in_progress', '2026-06-25', items)] });
    expect(s.overdueChecklistItems).toBe(2);
    expect(s.checklist.map((w) => w.overdueItems)).toEqual([0, 2]);
    expect(s.overdueGoLives).toEqual([]);
    expect(computedHealth(s)).toEqual({ health: 'at_risk', reasons: ['2 go-live checklist items overdue, gating Wave 1'] });
    // with one overdue milestone that makes three overdue items: off track
    const more = programSignals({ ...base, milestones: [{ status: 'in_progress', dueDate: '2026-06-01', baselineDueDate: null }], waves: [wave('Wave 1', 'in_progress', '2026-06-25', items)] });
    expect(computedHealth(more)).toEqual({ health: 'off_track', reasons: ['1 milestone overdue', '2 go-live checklist items overdue, gating Wave 1'] });
    expect(overdueCount(more)).toBe(3);
  });

  it('names every wave whose go-live an overdue item gates, and leads with the missed go-live', () => {
    const s = programSignals({
      ...base,
      waves: [wave('Pilot', 'in_progress', '2026-06-13', [open('2026-06-10')]), wave('Wave 1', 'planned', '2026-07-01', [open('2026-06-14')])],
    });
    expect(computedHealth(s)).toEqual({
      health: 'at_risk',
      reasons: ['Pilot go-live overdue by 2 days (planned 2026-06-13)', '2 go-live checklist items overdue, gating Pilot and Wave 1'],
    });
  });

  it('leaves a rollout on schedule on track', () => {
    const s = programSignals({ ...base, waves: [wave('Pilot', 'live', '2026-06-01', [open('2026-05-30')]), wave('Wave 1', 'planned', today, [open(today)]), wave('GA', 'planned', null, [open(null)])] });
    expect(s).toMatchObject({ overdueGoLives: [], overdueChecklistItems: 0 });
    expect(computedHealth(s)).toEqual({ health: 'on_track', reasons: [] });
  });
});
