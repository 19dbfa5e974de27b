import { describe, expect, it } from 'vitest';
import { checklistChoices, sameIds } from './checklist-choices';

const completion = { closed: 0, total: 0, percent: 0 };
const wave = (id: string, name: string) => ({ id, name, scope: [], status: 'planned' as const, plannedGoLive: null, completion, blockers: 0 });
const cell = (itemId: string, state: 'todo' | 'done' = 'todo', required = true) => ({ itemId, state, reason: null, required, dueDate: null });

describe('checklistChoices', () => {
  it('groups the items by wave in rollout order, rows in grid order, and leaves out waves without items', () => {
    const grid = {
      waves: [wave('w1', 'Pilot'), wave('w2', 'Wave 1'), wave('w3', 'GA')],
      rows: [
        { templateItemId: 't1', title: 'Train the agents', required: true, cells: { w1: cell('i1', 'done'), w2: cell('i2'), w3: null } },
        { templateItemId: null, title: 'Pilot-only sign-off', required: false, cells: { w1: cell('i3', 'todo', false), w2: null, w3: null } },
      ],
    };
    expect(checklistChoices(grid)).toEqual([
      {
        waveId: 'w1',
        waveName: 'Pilot',
        items: [
          { id: 'i1', title: 'Train the agents', state: 'done', required: true },
          { id: 'i3', title: 'Pilot-only sign-off', state: 'todo', required: false },
        ],
      },
      { waveId: 'w2', waveName: 'Wave 1', items: [{ id: 'i2', title: 'Train the agents', state: 'todo', required: true }] },
    ]);
  });

  it('is empty without waves', () => {
    expect(checklistChoices({ waves: [], rows: [] })).toEqual([]);
  });
});

describe('sameIds', () => {
  it('compares as sets', () => {
    expect(sameIds(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameIds(['a'], ['a', 'b'])).toBe(false);
    expect(sameIds(['a', 'b'], ['a', 'c'])).toBe(false);
    expect(sameIds([], [])).toBe(true);
  });
});
