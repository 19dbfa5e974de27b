import { describe, expect, it } from 'vitest';
import { actionCounts, importedMessage, importLabel, IMPORTED, nothingToImport, TO_IMPORT as PREVIEW } from './import-rows';
const rows = (create: number, update: number, unchanged: number) => [
  ...Array.from({ length: create }, () => ({ action: 'create' as const })),
  ...Array.from({ length: update }, () => ({ action: 'update' as const })),
  ...Array.from({ length: unchanged }, () => ({ action: 'unchanged' as const })),
];

describe('actionCounts', () => {
  it('counts each action in its words, leaving out the ones no row has', () => {
    expect(actionCounts(rows(2, 3, 40), PREVIEW)).toBe('2 to add, 3 to update, 40 unchanged');
    expect(actionCounts(rows(0, 3, 40), PREVIEW)).toBe('3 to update, 40 unchanged');
    expect(actionCounts(rows(0, 0, 43), PREVIEW)).toBe('43 unchanged');
    expect(actionCounts(rows(1, 0, 0), PREVIEW)).toBe('1 to add');
    expect(actionCounts(rows(1, 1, 0).reverse(), IMPORTED)).toBe('1 new, 1 updated');
  });
});

describe('nothingToImport and importedMessage', () => {
  it('says when every row is unchanged, and then does not speak of an import', () => {
    expect(nothingToImport(rows(0, 0, 3))).toBe(true);
    expect(nothingToImport(rows(0, 1, 3))).toBe(false);
    expect(nothingToImport([])).toBe(false);
    expect(importedMessage(rows(0, 0, 3), 'Wave 1')).toBe('Nothing changed in Wave 1: all 3 rows already matched the file');
    expect(importedMessage(rows(0, 0, 1))).toBe('Nothing changed: the row already matched the file');
    expect(importedMessage(rows(1, 0, 1))).toBe('Imported 2 rows: 1 new, 1 unchanged');
    expect(importedMessage(rows(0, 1, 0), 'GA')).toBe('Imported 1 row into GA: 1 updated');
  });
});

describe('importLabel', () => {
  it('counts the rows that will change, and says so when others are unchanged', () => {
    expect(importLabel(rows(1, 0, 0))).toBe('Import 1 row');
    expect(importLabel(rows(2, 1, 0))).toBe('Import 3 rows');
    expect(importLabel(rows(0, 3, 40))).toBe('Import 3 changed rows');
    expect(importLabel(rows(1, 0, 1))).toBe('Import 1 changed row');
  });
});
