import { describe, expect, it } from 'vitest';
import { clampPos, moveInGrid } from './grid-keys';
import { letterFromKey, nextLetter } from './letters';

const size = { rows: 4, cols: 3 };

describe('moveInGrid (APG grid keys)', () => {
  it('moves one cell with the arrows and stops at the edges', () => {
    expect(moveInGrid({ row: 1, col: 1 }, 'ArrowRight', size)).toEqual({ row: 1, col: 2 });
    expect(moveInGrid({ row: 1, col: 2 }, 'ArrowRight', size)).toEqual({ row: 1, col: 2 });
    expect(moveInGrid({ row: 0, col: 0 }, 'ArrowUp', size)).toEqual({ row: 0, col: 0 });
    expect(moveInGrid({ row: 3, col: 1 }, 'ArrowDown', size)).toEqual({ row: 3, col: 1 });
  });

  it('goes to the row ends with Home/End, and the grid corners with Ctrl', () => {
    expect(moveInGrid({ row: 2, col: 1 }, 'Home', size)).toEqual({ row: 2, col: 0 });
    expect(moveInGrid({ row: 2, col: 1 }, 'End', size)).toEqual({ row: 2, col: 2 });
    expect(moveInGrid({ row: 2, col: 1 }, 'Home', size, true)).toEqual({ row: 0, col: 0 });
    expect(moveInGrid({ row: 2, col: 1 }, 'End', size, true)).toEqual({ row: 3, col: 2 });
  });

  it('leaves other keys to the cell', () => {
    expect(moveInGrid({ row: 1, col: 1 }, 'a', size)).toBeNull();
    expect(moveInGrid({ row: 1, col: 1 }, 'Enter', size)).toBeNull();
  });

  it('keeps a position inside a grid that shrank', () => {
    expect(clampPos({ row: 9, col: 9 }, size)).toEqual({ row: 3, col: 2 });
  });
});

describe('RACI letters', () => {
  it('cycles R → A → C → I → empty → R', () => {
    expect([null, 'R', 'A', 'C', 'I'].map((l) => nextLetter(l as never))).toEqual(['R', 'A', 'C', 'I', null]);
  });

  it('reads R, A, C, I from the keyboard in either case, and nothing else', () => {
    expect(['r', 'A', 'c', 'I', 'x', 'Enter'].map(letterFromKey)).toEqual(['R', 'A', 'C', 'I', null, null]);
  });
});
