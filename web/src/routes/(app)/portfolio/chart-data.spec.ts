import type { StatusUpdate } from '@tandem/api-client';
import { describe, expect, it } from 'vitest';
import { healthSegments, HISTORY_DAYS } from './chart-data';
import { addDays } from './days';

const update = (at: string, health: StatusUpdate['health']): StatusUpdate => ({ id: at, health, narrative: '', author: { id: 'a', name: 'A' }, createdAt: `${at}T10:00:00Z` });

describe('healthSegments', () => {
  const today = '2026-11-26';
  it('runs each health from its update to the next, the last to the end of today', () => {
    const { segments } = healthSegments([{ key: 'QA', name: 'QA', updates: [update('2026-11-23', 'at_risk'), update('2026-11-06', 'on_track')] }], today);
    expect(segments.map((s) => [s.health, s.since, s.until])).toEqual([
      ['on_track', '2026-11-06', '2026-11-23'],
      ['at_risk', '2026-11-23', null],
    ]);
    expect(segments[1]?.end.toISOString().slice(0, 10)).toBe('2026-11-27');
  });

  it('starts a health reported before the window at the window, and drops what ended before it', () => {
    const old = addDays(today, -HISTORY_DAYS - 30);
    const older = addDays(today, -HISTORY_DAYS - 60);
    const { segments, from } = healthSegments([{ key: 'KB', name: 'KB', updates: [update(older, 'on_track'), update(old, 'off_track')] }], today);
    expect(segments).toHaveLength(1);
    expect(segments[0]?.start.toISOString().slice(0, 10)).toBe(from);
    expect(segments[0]?.health).toBe('off_track');
  });

  it('keeps a health replaced the same day visible', () => {
    const { segments } = healthSegments([{ key: 'W', name: 'W', updates: [update(today, 'on_track'), { ...update(today, 'off_track'), createdAt: `${today}T12:00:00Z` }] }], today);
    expect(segments).toHaveLength(2);
    expect(segments[0]!.end.getTime()).toBeGreaterThan(segments[0]!.start.getTime());
  });

  it('gives each update its own segment id, however many fall on one day (the chart keys its rows by it)', () => {
    const at = (hour: number, health: StatusUpdate['health']) => ({ ...update(today, health), id: `u${hour}`, createdAt: `${today}T${hour}:00:00Z` });
    const { segments } = healthSegments([{ key: 'T', name: 'T', updates: [at(10, 'on_track'), at(11, 'off_track'), at(12, 'at_risk')] }], today);
    expect(segments.map((s) => [s.id, s.health])).toEqual([
      ['u10', 'on_track'],
      ['u11', 'off_track'],
      ['u12', 'at_risk'],
    ]);
  });
});
