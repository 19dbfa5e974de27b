import { addDays } from '@tandem/domain';

/**
 * A small RFC 5545 writer for the calendar feed: all-day events only, which is all the feed needs.
 * The rules that calendar apps are strict about live here: TEXT escaping (§3.3.11), folding at 75
 * octets without splitting a UTF-8 sequence (§3.1), CRLF line endings, DATE values.
 */

export interface AllDayEvent {
  /** stable across fetches, so a calendar app updates the event instead of adding another */
  uid: string;
  /** YYYY-MM-DD */
  date: string;
  summary: string;
  description?: string;
  categories?: string;
  lastModified: Date;
}

export interface CalendarInput {
  prodId: string;
  name: string;
  events: readonly AllDayEvent[];
}

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/**
 * SEQUENCE must grow with each revision; seconds of updatedAt do. Counting from 2024 keeps the
 * number far below 2^31, which some clients store it in.
 */
const SEQUENCE_EPOCH_MS = Date.UTC(2024, 0, 1);
export const sequenceOf = (updatedAt: Date): number => Math.max(0, Math.floor((updatedAt.getTime() - SEQUENCE_EPOCH_MS) / 1000));

/** TEXT value escaping: backslash, semicolon, comma, and any line break as `\n`; other controls dropped. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Folds a content line: at most 75 octets per physical line, continuation lines start with a space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  // for…of walks code points, so a character (and its UTF-8 bytes) is never cut in two.
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

const dateValue = (date: string) => date.replace(/-/g, '');
export const utcStamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

export function renderCalendar(input: CalendarInput): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${input.prodId}`,
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escapeText(input.name)}`,
    'X-PUBLISHED-TTL:PT1H',
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
  ];
  for (const event of input.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.uid}`,
      `DTSTAMP:${utcStamp(event.lastModified)}`,
      `LAST-MODIFIED:${utcStamp(event.lastModified)}`,
      `SEQUENCE:${sequenceOf(event.lastModified)}`,
      `DTSTART;VALUE=DATE:${dateValue(event.date)}`,
      `DTEND;VALUE=DATE:${dateValue(addDays(event.date, 1))}`,
      `SUMMARY:${escapeText(event.summary)}`,
    );
    if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
    if (event.categories) lines.push(`CATEGORIES:${escapeText(event.categories)}`);
    lines.push('TRANSP:TRANSPARENT', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join(CRLF) + CRLF;
}
