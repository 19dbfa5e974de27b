import { describe, expect, it } from 'vitest';
import { writeCsv } from '../common/csv';
import { planChecklistImport, readChecklistFile, type ChecklistImportLookups, type ExistingItem } from './checklist-import';

const ITEM = '9ffc00e1-fd56-47f5-9575-3219aaa2500b';
const BLOCKED = '5c0b6a1e-3f7d-4d0e-9a43-0d8e2b7c4a11';
const TEAM = 'b3a5e0f2-6c1d-4f7e-8a9b-1c2d3e4f5a6b';
const PERSON = 'e7f8a9b0-c1d2-4e3f-9a4b-5c6d7e8f9a0b';
const item: ExistingItem = { id: ITEM, title: 'Training done', ownerTeamId: TEAM, ownerUserId: null, required: true, dueDate: '2026-06-01', state: 'todo', reason: null };
const blocked: ExistingItem = { id: BLOCKED, title: 'Macros updated', ownerTeamId: null, ownerUserId: PERSON, required: false, dueDate: null, state: 'blocked', reason: 'waiting for IT' };
const lookups: ChecklistImportLookups = {
  items: new Map([
    [ITEM, item],
    [BLOCKED, blocked],
  ]),
  teams: new Map([['service desk', TEAM]]),
  people: new Map([['ines@demo.tandem', { id: PERSON, active: true }]]),
  closed: null,
};
/** The columns of the export; `changed_by` and `changed_at` are read-only. */
const HEADER = ['id', 'title', 'owner', 'required', 'due_date', 'state', 'reason', 'changed_by', 'changed_at'];
const EXPORTED = [
  [ITEM, 'Training done', 'Service Desk', 'yes', '2026-06-01', 'todo', '', '', ''],
  [BLOCKED, 'Macros updated', 'ines@demo.tandem', 'no', '', 'blocked', 'waiting for IT', 'Ines', '2026-05-01T10:00:00.000Z'],
];
const plan = (rows: string[][]) => planChecklistImport(readChecklistFile(writeCsv(rows)), lookups);

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

  it('says a row of its own export, imported as it is, changes nothing', () => {
    expect(plan([HEADER, ...EXPORTED])).toEqual([
      { line: 2, action: 'unchanged', id: ITEM, errors: [] },
      { line: 3, action: 'unchanged', id: BLOCKED, errors: [] },
    ]);
  });

  it('compares the cells as the update reads them: case, spaces, yes/no words, state names', () => {
    const rows = [
      ['ID', 'Title', 'Owner', 'Required', 'Due', 'Status', 'Reason'],
      [ITEM.toUpperCase(), '  Training done ', 'SERVICE DESK', 'TRUE', ' 2026-06-01 ', 'To do', '  '],
      [BLOCKED, 'Macros updated', ' Ines@Demo.Tandem ', 'n', '', 'Blocked', 'waiting for IT'],
    ];
    expect(plan(rows).map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    // only the columns the file has are compared
    expect(plan([['id', 'title'], [ITEM, 'Training done']]).map((r) => r.action)).toEqual(['unchanged']);
    // an empty required or state cell keeps the stored value, like the update
    expect(plan([['id', 'required', 'state'], [ITEM, '', '']]).map((r) => r.action)).toEqual(['unchanged']);
  });

  it('says update when one cell differs, and keeps update for a row with errors', () => {
    const changed = (column: number, value: string) => plan([HEADER, EXPORTED[0]!.map((cell, i) => (i === column ? value : cell))])[0]!;
    for (const [column, value] of [[1, 'Training booked'], [2, 'ines@demo.tandem'], [2, ''], [3, 'no'], [4, '2026-06-02'], [4, ''], [5, 'done'], [6, 'because']] as const) {
      expect(changed(column, value), `${HEADER[column]} = "${value}"`).toMatchObject({ action: 'update', id: ITEM, errors: [], input: expect.any(Object) });
    }
    const [row] = plan([['id', 'state', 'reason'], [BLOCKED, 'blocked', '']]);
    expect(row).toEqual({ line: 2, action: 'update', id: BLOCKED, errors: [{ field: 'reason', reason: 'is required when the state is blocked' }] });
    const twice = plan([HEADER, EXPORTED[0]!, EXPORTED[0]!]);
    expect(twice.map((r) => r.action)).toEqual(['unchanged', 'update']);
    expect(twice[1]!.errors).toEqual([{ field: 'id', reason: 'the same item is already on line 2' }]);
  });

  it('refuses each new row of a live wave as a row error, and still checks and takes its updates', () => {
    const closed = 'Pilot is live: its go-live checklist is closed. Add the item to a wave that is not live, or roll Pilot back first.';
    const file = readChecklistFile(writeCsv([['id', 'title', 'state'], [ITEM, 'Training done', 'done'], ['', 'Floor walkers briefed', ''], ['', 'Site call', 'wat']]));
    const planned = planChecklistImport(file, { ...lookups, closed });
    expect(planned.map((p) => [p.action, p.errors])).toEqual([
      ['update', []],
      ['create', [{ field: 'row', reason: closed }]],
      ['create', [{ field: 'row', reason: closed }, { field: 'state', reason: 'must be to do, done, not applicable or blocked' }]],
    ]);
    expect(planned[1]!.input).toBeUndefined();
  });
});
