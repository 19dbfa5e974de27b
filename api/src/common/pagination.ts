import { storable, type Page } from '@tandem/domain';
import { isUuid } from './id.pipe';
import { ValidationFailed } from './validation';

/** What each position of a cursor holds, so a forged cursor never reaches a typed column. */
export type CursorPart = 'string' | 'uuid' | 'int';

const fits: Record<CursorPart, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string' && v.length <= 500 && storable(v),
  uuid: (v) => typeof v === 'string' && isUuid(v),
  int: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^\d{1,19}$/.test(v)),
};

/**
 * Keyset pagination: the cursor is the sort key of the last row returned, opaque to clients.
 * A cursor that does not decode to the expected parts is the client's mistake: 400 on `cursor`.
 */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, parts: readonly CursorPart[]): (string | number)[] | null {
  if (cursor === undefined) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === parts.length && parts.every((part, i) => fits[part](values[i]))) {
      return values as (string | number)[];
    }
  } catch {
    // fall through to the 400 below
  }
  throw new ValidationFailed([{ field: 'cursor', reason: 'is not a cursor this list returned' }]);
}

/** Builds a page from `limit + 1` rows: the extra row only tells that there is a next page. */
export function toPage<Row, Item>(rows: Row[], limit: number, cursorOf: (row: Row) => (string | number)[], view: (row: Row) => Item): Page<Item> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  return { items: shown.map(view), nextCursor: more && last ? encodeCursor(cursorOf(last)) : null };
}
