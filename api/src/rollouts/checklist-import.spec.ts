import { describe, expect, it } from 'vitest';
import { planChecklistImport, readChecklistFile, type ChecklistImportLookups } from './checklist-import';

const ITEM = '9ffc00e1-fd56-47f5-9575-3219aaa2500b';
const lookups: ChecklistImportLookups = {
  items: new Map([[ITEM, { id: ITEM, state: 'todo', reason: null }]]),
  teams: new Map(),
  people: new Map(),
};

describe('checklist CSV import', () => {
  it('says which states a row may have, in words, when it names another', () => {
    const file = readChecklistFile(['id,title,state', `${ITEM},Training done,wat`, ',Floor walkers briefed,finished'].join('\n'));
    const planned = planChecklistImport(file, lookups);
    const reason = 'must be to do, done, not applicable or blocked';
    expect(planned.map((p) => [p.line, p.action, p.errors])).toEqual([
      [2, 'update', [{ field: 'state', reason }]],
      [3, 'create', [{ field: 'state', reason }]],
    ]);
    expect(planned.every((p) => p.input === undefined)).toBe(true);
  });

  it('takes the states as people write them', () => {
    const file = readChecklistFile(['title,state,reason', 'A,To do,', 'B,Not applicable,Site has no phones', 'C,DONE,', 'D,not-applicable,No'].join('\n'));
    const planned = planChecklistImport(file, lookups);
    expect(planned.map((p) => p.errors)).toEqual([[], [], [], []]);
    expect(planned.map((p) => (p.input as { state?: string }).state)).toEqual(['todo', 'not_applicable', 'done', 'not_applicable']);
  });
});
