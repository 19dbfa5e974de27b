/**
 * Calendar-day helpers for the portfolio, the same arithmetic as `@tandem/domain`'s dates.ts
 * (UTC `YYYY-MM-DD`). Copied rather than imported: a runtime import from `@tandem/domain` brings
 * all of its zod schemas into this page (~31 KB gzipped, the package does not declare itself
 * free of side effects), and the portfolio has a 200 KB budget. Types still come from there.
 */
const DAY_MS = 86_400_000;

export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * How long until the UTC day after `now` has begun, and a few seconds more: a server whose clock
 * is a little behind the browser's has turned the day too by then.
 */
export const msUntilNextDay = (now: Date = new Date(), marginMs = 5000): number => Date.parse(`${addDays(todayUtc(now), 1)}T00:00:00Z`) - now.getTime() + marginMs;
