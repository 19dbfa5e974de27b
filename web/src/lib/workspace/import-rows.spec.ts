import { describe, expect, it } from 'vitest';
import { actionCounts, IMPORTED, TO_IMPORT as PREVIEW } from './import-rows';
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
