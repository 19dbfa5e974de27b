import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKLIST_STATES, checklistClosedReason, completion, goLiveBlockers, milestoneBlockers, type GateItem, WAVE_STATUSES, waveStatusesFrom, waveStatusRefusal } from './checklist.js';

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

describe('a live wave\'s closed checklist', () => {
  it('refuses adding to a live wave, saying what blocks and what to do instead', () => {
    expect(checklistClosedReason({ name: 'Pilot', status: 'live' })).toBe(
      'Pilot is live: its go-live checklist is closed. Add the item to a wave that is not live, or roll Pilot back first.',
    );
  });

  it('refuses removing from a live wave, pointing at not applicable instead', () => {
    expect(checklistClosedReason({ name: 'Pilot', status: 'live' }, 'remove')).toBe(
      'Pilot is live: its go-live checklist is closed. Mark the item not applicable instead, or roll Pilot back first.',
    );
  });

  it('refuses deleting a live wave, pointing at rolling it back', () => {
    expect(checklistClosedReason({ name: 'Pilot', status: 'live' }, 'delete_wave')).toBe(
      'Pilot is live: it and its go-live checklist are the record of its go-live. Roll Pilot back first to delete it.',
    );
  });

  it('leaves every other wave open, a rolled-back one included', () => {
    for (const status of WAVE_STATUSES.filter((s) => s !== 'live')) {
      expect(checklistClosedReason({ name: 'W', status }), status).toBeNull();
      expect(checklistClosedReason({ name: 'W', status }, 'remove'), status).toBeNull();
      expect(checklistClosedReason({ name: 'W', status }, 'delete_wave'), status).toBeNull();
    }
  });
});

describe('wave status changes', () => {
  it('lets a live wave leave live only by being rolled back', () => {
    expect(waveStatusesFrom('live')).toEqual(['live', 'rolled_back']);
    expect(waveStatusRefusal({ name: 'Pilot', status: 'live' }, 'planned')).toBe(
      'Pilot is live: it leaves live only by being rolled back, so its go-live stays on record. Roll Pilot back first.',
    );
    expect(waveStatusRefusal({ name: 'Pilot', status: 'live' }, 'in_progress')).not.toBeNull();
    expect(waveStatusRefusal({ name: 'Pilot', status: 'live' }, 'rolled_back')).toBeNull();
  });

  it('lets every other wave take any status (going live is gated by its checklist)', () => {
    for (const from of WAVE_STATUSES.filter((s) => s !== 'live')) {
      expect(waveStatusesFrom(from)).toEqual([...WAVE_STATUSES]);
      for (const to of WAVE_STATUSES) expect(waveStatusRefusal({ name: 'W', status: from }, to), `${from} → ${to}`).toBeNull();
    }
  });
});
