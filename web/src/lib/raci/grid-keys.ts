/**
 * Where focus goes in a data grid (WAI-ARIA APG grid pattern) for a navigation key. Positions count
 * the header row as row 0 and the row-header column as column 0. Returns null for keys that do not
 * move focus, so the caller can leave them to the cell.
 */
export interface GridPos {
  row: number;
  col: number;
}

export interface GridSize {
  /** rows including the header row */
  rows: number;
  /** columns including the row-header column */
  cols: number;
}

const PAGE = 5;

export function moveInGrid(pos: GridPos, key: string, size: GridSize, ctrl = false): GridPos | null {
  const lastRow = size.rows - 1;
  const lastCol = size.cols - 1;
  const clamp = (row: number, col: number): GridPos => ({
    row: Math.max(0, Math.min(lastRow, row)),
    col: Math.max(0, Math.min(lastCol, col)),
  });
  switch (key) {
    case 'ArrowRight':
      return clamp(pos.row, pos.col + 1);
    case 'ArrowLeft':
      return clamp(pos.row, pos.col - 1);
    case 'ArrowDown':
      return clamp(pos.row + 1, pos.col);
    case 'ArrowUp':
      return clamp(pos.row - 1, pos.col);
    case 'Home':
      return ctrl ? clamp(0, 0) : clamp(pos.row, 0);
    case 'End':
      return ctrl ? clamp(lastRow, lastCol) : clamp(pos.row, lastCol);
    case 'PageDown':
      return clamp(pos.row + PAGE, pos.col);
    case 'PageUp':
      return clamp(pos.row - PAGE, pos.col);
    default:
      return null;
  }
}

/** A position that still exists after the grid shrank (rows or columns removed). */
export function clampPos(pos: GridPos, size: GridSize): GridPos {
  return { row: Math.max(0, Math.min(size.rows - 1, pos.row)), col: Math.max(0, Math.min(size.cols - 1, pos.col)) };
}
