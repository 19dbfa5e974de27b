import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKLIST_STATES, WAVE_STATUSES } from './checklist.js';
import { addDays } from './dates.js';
import { goLiveDaysLate, isOverdueChecklistItem, overdueGoLives, type GoLiveWave } from './golive.js';
import { listWords, plural } from './words.js';

const today = '2026-06-15';
const wave = (name: string, status: GoLiveWave['status'], plannedGoLive: string | null): GoLiveWave => ({ id: name, name, status, plannedGoLive });

describe('overdue go-lives', () => {
  it('is a wave not live whose planned go-live is before today, in days late', () => {
    expect(goLiveDaysLate(wave('Pilot', 'planned', '2026-06-10'), today)).toBe(5);
    expect(goLiveDaysLate(wave('Pilot', 'in_progress', '2026-06-14'), today)).toBe(1);
    // rolled back is not live: the go-live is missed again
    expect(goLiveDaysLate(wave('Pilot', 'rolled_back', '2026-06-01'), today)).toBe(14);
  });

  it('is not a live wave, one due today or later, or one without a date', () => {
    expect(goLiveDaysLate(wave('Pilot', 'live', '2026-06-01'), today)).toBeNull();
    expect(goLiveDaysLate(wave('Pilot', 'in_progress', today), today)).toBeNull();
    expect(goLiveDaysLate(wave('Pilot', 'planned', '2026-07-01'), today)).toBeNull();
    expect(goLiveDaysLate(wave('Pilot', 'planned', null), today)).toBeNull();
  });

  it('lists the overdue ones, the longest miss first, ties in wave order', () => {
    const waves = [wave('Pilot', 'live', '2026-05-01'), wave('Wave 1', 'in_progress', '2026-06-12'), wave('Wave 2', 'planned', '2026-06-01'), wave('Wave 3', 'planned', '2026-06-12'), wave('GA', 'planned', '2026-08-01')];
    expect(overdueGoLives(waves, today)).toEqual([
      { waveId: 'Wave 2', waveName: 'Wave 2', plannedGoLive: '2026-06-01', status: 'planned', daysLate: 14 },
      { waveId: 'Wave 1', waveName: 'Wave 1', plannedGoLive: '2026-06-12', status: 'in_progress', daysLate: 3 },
      { waveId: 'Wave 3', waveName: 'Wave 3', plannedGoLive: '2026-06-12', status: 'planned', daysLate: 3 },
    ]);
  });

  it('is overdue exactly when not live and the date has passed (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WAVE_STATUSES), fc.option(fc.integer({ min: -400, max: 400 })), (status, offset) => {
        const planned = offset === null ? null : addDays(today, offset);
        const late = goLiveDaysLate({ status, plannedGoLive: planned }, today);
        expect(late !== null).toBe(status !== 'live' && offset !== null && offset < 0);
        if (late !== null) expect(late).toBe(-offset!);
      }),
    );
  });
});

describe('overdue checklist items', () => {
  const item = { state: 'todo' as const, required: true, dueDate: '2026-06-14' };

  it('is a required, open item past its due date on a wave not yet live', () => {
    expect(isOverdueChecklistItem(item, { status: 'in_progress' }, today)).toBe(true);
    expect(isOverdueChecklistItem({ ...item, state: 'blocked' }, { status: 'planned' }, today)).toBe(true);
    expect(isOverdueChecklistItem(item, { status: 'rolled_back' }, today)).toBe(true);
  });

  it('is not an item that is closed, optional, undated, due today, or on a live wave', () => {
    expect(isOverdueChecklistItem({ ...item, state: 'done' }, { status: 'planned' }, today)).toBe(false);
    expect(isOverdueChecklistItem({ ...item, state: 'not_applicable' }, { status: 'planned' }, today)).toBe(false);
    expect(isOverdueChecklistItem({ ...item, required: false }, { status: 'planned' }, today)).toBe(false);
    expect(isOverdueChecklistItem({ ...item, dueDate: null }, { status: 'planned' }, today)).toBe(false);
    expect(isOverdueChecklistItem({ ...item, dueDate: today }, { status: 'planned' }, today)).toBe(false);
    // a live wave's go-live has happened: its leftover items gate nothing
    expect(isOverdueChecklistItem(item, { status: 'live' }, today)).toBe(false);
  });

  it('depends on the due date only through "before today" (property: the api counts items grouped that way)', () => {
    const dated = fc.record({ state: fc.constantFrom(...CHECKLIST_STATES), required: fc.boolean(), offset: fc.option(fc.integer({ min: -60, max: 60 })) });
    fc.assert(
      fc.property(dated, fc.integer({ min: -60, max: 60 }), fc.constantFrom(...WAVE_STATUSES), (i, other, status) => {
        const at = (o: number | null) => ({ state: i.state, required: i.required, dueDate: o === null ? null : addDays(today, o) });
        // any other date on the same side of today gives the same answer
        if (i.offset === null || i.offset < 0 !== other < 0) return;
        expect(isOverdueChecklistItem(at(i.offset), { status }, today)).toBe(isOverdueChecklistItem(at(other), { status }, today));
      }),
    );
  });
});

describe('words', () => {
  it('lists names the way a sentence does, and counts', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['Pilot'])).toBe('Pilot');
    expect(listWords(['Pilot', 'Wave 1'])).toBe('Pilot and Wave 1');
    expect(listWords(['Pilot', 'Wave 1', 'GA'])).toBe('Pilot, Wave 1 and GA');
    expect(plural(1, 'activity', 'activities')).toBe('1 activity');
    expect(plural(6, 'activity', 'activities')).toBe('6 activities');
  });
});
