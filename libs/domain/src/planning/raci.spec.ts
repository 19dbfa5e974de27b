import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RACI_LETTERS, raciGaps, raciGapWords, raciRowViolations, raciViolations, secondAccountable, type RaciCell } from './raci.js';

const c = (subject: string, letter: RaciCell['letter']): RaciCell => ({ subject, letter });

describe('RACI rule: exactly one A and at least one R per row', () => {
  it('accepts a complete row', () => {
    expect(raciRowViolations('r1', [c('user:1', 'A'), c('team:qa', 'R'), c('user:2', 'I')])).toEqual([]);
  });

  it('reports an empty row for both rules', () => {
    expect(raciRowViolations('r1', []).map((v) => v.rule)).toEqual(['no_accountable', 'no_responsible']);
  });

  it('reports two As', () => {
    expect(raciRowViolations('r1', [c('user:1', 'A'), c('user:2', 'A'), c('user:3', 'R')]).map((v) => v.rule)).toEqual(['multiple_accountable']);
  });

  it('lists violations across rows', () => {
    expect(raciViolations([{ id: 'a', cells: [c('u', 'A'), c('v', 'R')] }, { id: 'b', cells: [c('u', 'R')] }])).toEqual([
      { rowId: 'b', rule: 'no_accountable', message: 'needs exactly one Accountable (A); it has none' },
    ]);
  });

  it('a row is valid exactly when it has one A and some R (property)', () => {
    const cells = fc.array(fc.record({ subject: fc.constantFrom('u1', 'u2', 'u3', 't1'), letter: fc.constantFrom(...RACI_LETTERS) }));
    fc.assert(
      fc.property(cells, (row) => {
        const valid = row.filter((x) => x.letter === 'A').length === 1 && row.some((x) => x.letter === 'R');
        expect(raciRowViolations('r', row).length === 0).toBe(valid);
      }),
    );
  });
});

describe('secondAccountable', () => {
  const row = [c('user:1', 'A'), c('user:2', 'R')];
  it('names who already holds A when someone else is made A', () => {
    expect(secondAccountable(row, 'user:2', 'A')).toBe('user:1');
  });
  it('lets the A holder keep A and anyone take other letters', () => {
    expect(secondAccountable(row, 'user:1', 'A')).toBeNull();
    expect(secondAccountable(row, 'user:3', 'C')).toBeNull();
    expect(secondAccountable(row, 'user:3', null)).toBeNull();
  });
});

describe('RACI gaps: activities, not rule breaches', () => {
  it('groups the violations by activity, in the order they appear, each with every rule it breaks', () => {
    const violations = raciViolations([
      { id: 'empty', cells: [] },
      { id: 'fine', cells: [c('user:1', 'A'), c('user:2', 'R')] },
      { id: 'twoA', cells: [c('user:1', 'A'), c('user:2', 'A'), c('user:3', 'R')] },
    ]);
    expect(violations).toHaveLength(3);
    const gaps = raciGaps(violations);
    expect(gaps.map((g) => [g.rowId, g.violations.map((v) => v.rule)])).toEqual([
      ['empty', ['no_accountable', 'no_responsible']],
      ['twoA', ['multiple_accountable']],
    ]);
    expect(raciGapWords(gaps.length)).toBe('2 activities with RACI gaps');
    expect(raciGapWords(1)).toBe('1 activity with a RACI gap');
  });
});
