import { describe, expect, it } from 'vitest';
import { templateMilestoneDates, templateTarget } from './dates.js';

const m = (startOffsetDays: number, durationDays: number) => ({ startOffsetDays, durationDays });

describe('dates from a template', () => {
  it("dates a milestone from the program's start", () => {
    expect(templateMilestoneDates('2027-01-04', m(7, 28))).toEqual({ start: '2027-01-11', due: '2027-02-08' });
  });

  it("targets the last milestone's due date, across month and leap-day ends, or the start without milestones", () => {
    expect(templateTarget('2027-01-04', [m(0, 14), m(112, 7), m(56, 7)])).toBe('2027-05-03');
    expect(templateTarget('2028-02-28', [m(0, 2)])).toBe('2028-03-01');
    expect(templateTarget('2027-01-04', [])).toBe('2027-01-04');
  });
});
