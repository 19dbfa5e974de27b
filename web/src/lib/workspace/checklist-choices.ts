import type { ChecklistState, RolloutGrid } from '$lib/rollout/api';

export interface ChecklistChoice {
  id: string;
  title: string;
  state: ChecklistState;
  required: boolean;
}

export interface WaveChoices {
  waveId: string;
  waveName: string;
  items: ChecklistChoice[];
}

/**
 * The checklist items a milestone can wait for, by wave in rollout order and, within a wave, in
 * the grid's row order (template items first). Waves without items are left out.
 */
export function checklistChoices(grid: Pick<RolloutGrid, 'waves' | 'rows'>): WaveChoices[] {
  return grid.waves
    .map((wave) => ({
      waveId: wave.id,
      waveName: wave.name,
      items: grid.rows.flatMap((row) => {
        const cell = row.cells[wave.id];
        return cell ? [{ id: cell.itemId, title: row.title, state: cell.state, required: cell.required }] : [];
      }),
    }))
    .filter((wave) => wave.items.length > 0);
}

/** Whether two sets of ids differ (order does not matter). */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((id) => set.has(id));
}
