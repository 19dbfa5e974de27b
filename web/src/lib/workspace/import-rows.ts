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
