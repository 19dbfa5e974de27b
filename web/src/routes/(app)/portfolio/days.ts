/**
 * Calendar-day helpers for the portfolio, the same arithmetic as `@tandem/domain`'s dates.ts
 * (UTC `YYYY-MM-DD`). Copied rather than imported: a runtime import from `@tandem/domain` brings
 * all of its zod schemas into this page (~31 KB gzipped, the package does not declare itself
 * free of side effects), and the portfolio has a 200 KB budget. Types still come from there.
 */
const DAY_MS = 86_400_000;

export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
