import { describe, expect, it } from 'vitest';
import { fieldReason, formatDate, formatDateTime, formatDay } from './format';

// What the formatters replaced: en-GB, UTC, through Intl (here Node's ICU).
const intlDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const intlDateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});
const intlDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

describe('date formatting', () => {
  it('writes what Intl en-GB in UTC writes, every day of a year and at any hour', () => {
    for (let day = 0; day < 366; day++) {
      const at = new Date(Date.UTC(2028, 0, 1) + day * 86_400_000 + ((day * 37) % 1440) * 60_000);
      const iso = at.toISOString();
      expect(formatDate(iso.slice(0, 10))).toBe(intlDate.format(at));
      expect(formatDate(iso)).toBe(intlDate.format(at));
      expect(formatDateTime(iso)).toBe(intlDateTime.format(at));
      expect(formatDay(at)).toBe(intlDay.format(at));
    }
  });

  it('keeps what is not a date, and shows a dash for nothing', () => {
    expect(formatDate(null)).toBe('—');
    expect(formatDateTime(undefined)).toBe('—');
    expect(formatDate('soon')).toBe('soon');
    expect(formatDateTime('not a time')).toBe('not a time');
    expect(formatDateTime('2026-03-12T00:05:00+02:00')).toBe('11 Mar 2026, 22:05 UTC');
  });
});

describe('fieldReason', () => {
  it('says a date-order reason in words beside the field it is about, never with the field names of the api', () => {
    // what the api answers when only one of the dates is sent (the other is the stored one)
    expect(fieldReason('Target date', 'targetDate must not be before startDate')).toBe('Target date must not be before the start date');
    expect(fieldReason('Due date', 'dueDate must not be before startDate')).toBe('Due date must not be before the start date');
    expect(fieldReason('Start date', 'dueDate must not be before startDate')).toBe('The due date must not be before the start date');
    // what the shared schemas say
    expect(fieldReason('Target date', 'must not be before startDate')).toBe('Target date must not be before the start date');
    expect(fieldReason('Name', 'is required')).toBe('Name is required');
  });
});
