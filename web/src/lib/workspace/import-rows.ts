import type { ImportRow } from './api';

/** What an import does with a row, as the preview's table says it. */
export const ACTION_LABEL: Record<ImportRow['action'], string> = { create: 'Add', update: 'Update', unchanged: 'No change' };

/** The counts' words before an import (the check) and after it (the toast). */
export const TO_IMPORT: Record<ImportRow['action'], string> = { create: 'to add', update: 'to update', unchanged: 'unchanged' };
export const IMPORTED: Record<ImportRow['action'], string> = { create: 'new', update: 'updated', unchanged: 'unchanged' };

const ORDER: readonly ImportRow['action'][] = ['create', 'update', 'unchanged'];

/**
 * How many rows each action has, in `words` ("3 to update, 40 unchanged"). Actions no row has are
 * left out, so a re-imported export with three edits does not read "0 to add".
 */
export function actionCounts(rows: readonly Pick<ImportRow, 'action'>[], words: Record<ImportRow['action'], string>): string {
  return ORDER.map((action) => [rows.filter((r) => r.action === action).length, words[action]] as const)
    .filter(([count]) => count > 0)
    .map(([count, word]) => `${count} ${word}`)
    .join(', ');
}

/** The import button's words for a checked file: the rows that will change ("Import 3 changed rows" beside unchanged ones). */
export function importLabel(rows: readonly Pick<ImportRow, 'action'>[]): string {
  const changing = rows.filter((r) => r.action !== 'unchanged').length;
  const some = changing < rows.length ? ' changed' : '';
  return `Import ${changing}${some} row${changing === 1 ? '' : 's'}`;
}

/** A checked file whose every row already holds what is stored: importing it would write nothing. */
export const nothingToImport = (rows: readonly Pick<ImportRow, 'action'>[]): boolean => rows.length > 0 && rows.every((r) => r.action === 'unchanged');

/** The toast after a real import, into a wave's checklist if `wave` names one. */
export function importedMessage(rows: readonly Pick<ImportRow, 'action'>[], wave?: string): string {
  const n = `${rows.length} row${rows.length === 1 ? '' : 's'}`;
  // the check said something would change, then someone made the same change first
  if (nothingToImport(rows)) return `Nothing changed${wave ? ` in ${wave}` : ''}: ${rows.length === 1 ? 'the row already matched' : `all ${n} already matched`} the file`;
  return `Imported ${n}${wave ? ` into ${wave}` : ''}: ${actionCounts(rows, IMPORTED)}`;
}
