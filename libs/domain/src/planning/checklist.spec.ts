import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKLIST_STATES, completion, goLiveBlockers, milestoneBlockers, type GateItem } from './checklist.js';

const item = (id: string, required: boolean, state: GateItem['state']): GateItem => ({ id, title: id, required, state });

describe('go-live gating', () => {
  it('is blocked by required items that are todo or blocked', () => {
    const items = [item('training', true, 'done'), item('macros', true, 'todo'), item('comms', true, 'blocked'), item('qa', true, 'not_applicable'), item('extra', false, 'todo')];
    expect(goLiveBlockers(items).map((i) => i.id)).toEqual(['macros', 'comms']);
  });

  it('never lets a wave go live with an open required item (property)', () => {
    const items = fc.array(fc.record({ id: fc.string(), title: fc.string(), required: fc.boolean(), state: fc.constantFrom(...CHECKLIST_STATES) }));
    fc.assert(
      fc.property(items, (list) => {
        const blocked = goLiveBlockers(list).length > 0;
        const openRequired = list.some((i) => i.required && (i.state === 'todo' || i.state === 'blocked'));
        expect(blocked).toBe(openRequired);
      }),
    );
  });

  it('holds a milestone while any linked item is open, required or not', () => {
    expect(milestoneBlockers([item('a', false, 'todo'), item('b', true, 'done')]).map((i) => i.id)).toEqual(['a']);
  });
});

describe('completion', () => {
  it('counts done and not applicable as closed', () => {
    expect(completion([{ state: 'done' }, { state: 'not_applicable' }, { state: 'todo' }])).toEqual({ closed: 2, total: 3, percent: 66 });
  });
  it('is 100% only when everything is closed', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ state: fc.constantFrom(...CHECKLIST_STATES) }), { minLength: 1 }), (list) => {
        const { percent, closed, total } = completion(list);
        expect(percent === 100).toBe(closed === total);
      }),
    );
  });
});
