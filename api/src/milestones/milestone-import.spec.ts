import { describe, expect, it } from 'vitest';
import { writeCsv } from '../common/csv';
import { EXPORT_COLUMNS, planImport, readImportFile, type ExistingMilestone, type ImportLookups } from './milestone-import';

const PLAN = '0b8f5c2e-7a1d-4c3b-9e6f-2d4a8b1c3e5f';
const BARE = '6d2e9f4a-1b3c-4d5e-8f7a-9b0c1d2e3f4a';
const PERSON = 'e7f8a9b0-c1d2-4e3f-9a4b-5c6d7e8f9a0b';
const planned: ExistingMilestone = {
  id: PLAN,
  title: 'Go-live',
  description: 'Cut over, then watch the queues',
  ownerId: PERSON,
  startDate: '2026-09-01',
  dueDate: '2026-09-10',
  status: 'in_progress',
  position: 3,
  workstream: 'Comms',
};
const bare: ExistingMilestone = { id: BARE, title: 'Retro', description: '', ownerId: null, startDate: null, dueDate: null, status: 'not_started', position: 4, workstream: null };
const lookups: ImportLookups = {
  milestones: new Map([
    [PLAN, planned],
    [BARE, bare],
  ]),
  people: new Map([['pat@demo.tandem', { id: PERSON, active: true }]]),
  links: new Map(),
};
/** What the export writes for them, the computed baseline and slip columns included. */
const EXPORTED = [
  [PLAN, 'Go-live', 'Cut over, then watch the queues', 'pat@demo.tandem', '2026-09-01', '2026-09-10', 'in_progress', 'Comms', '3', '2026-09-08', '2'],
  [BARE, 'Retro', '', '', '', '', 'not_started', '', '4', '', ''],
];
const plan = (rows: string[][]) => planImport(readImportFile(writeCsv(rows)), lookups);
const edited = (column: (typeof EXPORT_COLUMNS)[number], value: string) => EXPORTED[0]!.map((cell, i) => (EXPORT_COLUMNS[i] === column ? value : cell));

describe('milestones CSV import', () => {
  it('says a row of its own export, imported as it is, changes nothing', () => {
    expect(plan([[...EXPORT_COLUMNS], ...EXPORTED])).toEqual([
      { line: 2, action: 'unchanged', id: PLAN, errors: [] },
      { line: 3, action: 'unchanged', id: BARE, errors: [] },
    ]);
  });

  it('compares the cells as the update reads them: case, spaces, empty cells, status names', () => {
    const rows = [
      ['ID', 'Title', 'Owner', 'Start', 'Due', 'Status', 'Work stream', 'Position'],
      [PLAN.toUpperCase(), ' Go-live  ', 'Pat@Demo.TANDEM ', ' 2026-09-01', '2026-09-10 ', 'In progress', ' Comms ', ' 3 '],
      [BARE, 'Retro', '', '', '  ', 'Not started', '', '4'],
    ];
    expect(plan(rows).map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
    // only the columns the file has are compared
    expect(plan([['id', 'title'], [PLAN, 'Go-live']]).map((r) => r.action)).toEqual(['unchanged']);
    // an empty status or position cell keeps the stored value, like the update
    expect(plan([['id', 'status', 'position'], [PLAN, '', '']]).map((r) => r.action)).toEqual(['unchanged']);
  });

  it('says update when one cell differs, and keeps update for a row with errors', () => {
    const changes = [
      ['title', 'Go-live day'],
      ['description', 'Cut over'],
      // the description is kept as written, so a trailing space is a change
      ['description', 'Cut over, then watch the queues '],
      ['owner_email', ''],
      ['start_date', '2026-09-02'],
      ['due_date', ''],
      ['status', 'done'],
      ['workstream', ''],
      ['position', '7'],
    ] as const;
    for (const [column, value] of changes) {
      expect(plan([[...EXPORT_COLUMNS], edited(column, value)])[0], `${column} = "${value}"`).toMatchObject({ action: 'update', id: PLAN, errors: [], input: expect.any(Object) });
    }
    expect(plan([['id', 'due_date'], [PLAN, '2026-08-01']])).toEqual([{ line: 2, action: 'update', id: PLAN, errors: [{ field: 'due_date', reason: 'due_date must not be before start_date' }] }]);
    const twice = plan([[...EXPORT_COLUMNS], EXPORTED[1]!, EXPORTED[1]!]);
    expect(twice.map((r) => r.action)).toEqual(['unchanged', 'update']);
    expect(twice[1]!.errors).toEqual([{ field: 'id', reason: 'the same milestone is already on line 2' }]);
  });
});
