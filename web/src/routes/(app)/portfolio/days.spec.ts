import { describe, expect, it } from 'vitest';
import { msUntilNextDay } from './days';

describe('msUntilNextDay', () => {
  it('waits until the next UTC midnight and the margin, whatever the hour', () => {
    expect(msUntilNextDay(new Date('2026-11-26T23:59:59.000Z'), 5000)).toBe(6000);
    expect(msUntilNextDay(new Date('2026-11-27T00:00:00.000Z'), 0)).toBe(86_400_000);
    expect(msUntilNextDay(new Date('2026-12-31T12:00:00.000Z'), 0)).toBe(43_200_000);
  });
});
