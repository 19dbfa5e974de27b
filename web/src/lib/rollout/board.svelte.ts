/**
 * The rollout grid's state: waves × checklist items as the api gives them, optimistic state changes
 * that roll back when refused, and go-live gating computed with the same `@tandem/domain` rule the
 * api applies (`goLiveBlockers`), so each wave says whether it can go live before anyone tries.
 * What is overdue — checklist items and go-lives — is read with the rules computed health counts
 * (`isOverdueChecklistItem`, `goLiveDaysLate`), so the page marks exactly what the signals count.
 */
import { completion, goLiveBlockers, goLiveDaysLate, isOverdueChecklistItem, todayUtc, type Completion } from '@tandem/domain';
import { ApiError } from '$lib/api';
import {
  getRolloutGrid,
  updateChecklistItem,
  updateWave,
  type ChecklistState,
  type GridCell,
  type GridRow,
  type GridWave,
  type RolloutGrid,
  type Wave,
} from './api';
import { STATE_LONG } from './labels';

/** One checklist item of one wave, as the gate sees it. */
export interface WaveItem {
  id: string;
  title: string;
  required: boolean;
  state: ChecklistState;
  reason: string | null;
  dueDate: string | null;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : 'unknown error');

export class RolloutBoard {
  grid = $state<RolloutGrid>({ waves: [], rows: [] });
  /** item ids whose write is in flight */
  saving = $state<Record<string, true>>({});
  /** why the last change to an item was refused, by item id */
  errors = $state<Record<string, string>>({});
  announcement = $state('');
  /** the day what is overdue is counted on (UTC, as the api counts it); taken again with each new grid */
  today = $state(todayUtc());
  #inFlight = 0;
  #waiting = false;
  /**
   * Per item, the writes in order: each goes to the api once the one before it is answered (a
   * quick second click sent side by side could land first and be undone by the first), with the
   * number of the latest and what the api last confirmed, to put back when the latest is refused.
   */
  #queues = new Map<string, { tail: Promise<unknown>; latest: number; confirmed: { state: ChecklistState; reason: string | null } }>();
  #writes = 0;

  constructor(
    private readonly program: string,
    grid: RolloutGrid,
  ) {
    this.grid = grid;
  }

  accept(grid: RolloutGrid): void {
    if (this.#inFlight > 0) {
      this.#waiting = true;
      return;
    }
    this.grid = grid;
    this.today = todayUtc();
  }

  async refresh(): Promise<void> {
    try {
      this.accept(await getRolloutGrid(fetch, this.program));
    } catch {
      // keep what is on screen; the next change event tries again
    }
  }

  /** The wave's checklist from the grid, in row order. */
  items(waveId: string): WaveItem[] {
    return this.grid.rows.flatMap((row) => {
      const cell = row.cells[waveId];
      // the cell's own "required": a wave's copy of a template item may differ from the template
      return cell ? [{ id: cell.itemId, title: row.title, required: cell.required, state: cell.state, reason: cell.reason, dueDate: cell.dueDate }] : [];
    });
  }

  #wave(waveId: string): GridWave | undefined {
    return this.grid.waves.find((w) => w.id === waveId);
  }

  /** Whether this item of this wave is overdue: required, open, past its due date, on a wave not live. */
  isOverdue(waveId: string, cell: Pick<GridCell, 'state' | 'required' | 'dueDate'>): boolean {
    const wave = this.#wave(waveId);
    return !!wave && isOverdueChecklistItem(cell, wave, this.today);
  }

  /** The wave's overdue items, in row order. */
  overdue(waveId: string): WaveItem[] {
    const wave = this.#wave(waveId);
    return wave ? this.items(waveId).filter((i) => isOverdueChecklistItem(i, wave, this.today)) : [];
  }

  /** Every overdue item on the board: what the signals count as overdue checklist items. */
  get overdueCount(): number {
    return this.grid.waves.reduce((n, w) => n + this.overdue(w.id).length, 0);
  }

  /** Days since the wave should have gone live, or null when its go-live is not overdue. */
  goLiveDaysLate(wave: Pick<GridWave, 'status' | 'plannedGoLive'>): number | null {
    return goLiveDaysLate(wave, this.today);
  }

  /**
   * The grid filtered to what is overdue: the waves with overdue items, and the rows with an
   * overdue item on one of them. The whole grid when `onlyOverdue` is false.
   */
  shown(onlyOverdue: boolean): RolloutGrid {
    if (!onlyOverdue) return this.grid;
    const waves = this.grid.waves.filter((w) => this.overdue(w.id).length > 0);
    const rows = this.grid.rows.filter((row) => waves.some((w) => { const c = row.cells[w.id]; return !!c && this.isOverdue(w.id, c); }));
    return { waves, rows };
  }

  blockers(waveId: string): WaveItem[] {
    return goLiveBlockers(this.items(waveId));
  }

  completion(waveId: string): Completion {
    return completion(this.items(waveId));
  }

  #find(itemId: string): { row: GridRow; waveId: string; cell: GridCell } | null {
    for (const row of this.grid.rows) {
      for (const [waveId, cell] of Object.entries(row.cells)) if (cell?.itemId === itemId) return { row, waveId, cell };
    }
    return null;
  }

  #put(itemId: string, state: ChecklistState, reason: string | null) {
    const found = this.#find(itemId);
    if (found) found.row.cells[found.waveId] = { ...found.cell, state, reason };
  }

  #clearError(itemId: string) {
    const errors = { ...this.errors };
    delete errors[itemId];
    this.errors = errors;
  }

  async #track<T>(work: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await work();
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0 && this.#waiting) {
        this.#waiting = false;
        void this.refresh();
      }
    }
  }

  /** Sets an item's state now and asks the api; puts it back and keeps the reason when refused. */
  async setState(itemId: string, state: ChecklistState, reason: string | null = null): Promise<boolean> {
    const found = this.#find(itemId);
    if (!found) return false;
    const wave = this.grid.waves.find((w) => w.id === found.waveId)?.name ?? 'the wave';
    const queue = this.#queues.get(itemId) ?? { tail: Promise.resolve(), latest: 0, confirmed: { state: found.cell.state, reason: found.cell.reason } };
    const n = ++this.#writes;
    const send = () => updateChecklistItem(fetch, itemId, reason ? { state, reason } : { state });
    const answer = queue.tail.then(send, send);
    this.#queues.set(itemId, { ...queue, tail: answer.catch(() => undefined), latest: n });
    this.#put(itemId, state, reason);
    this.saving = { ...this.saving, [itemId]: true };
    this.#clearError(itemId);
    const latest = () => this.#queues.get(itemId)?.latest === n;
    try {
      const saved = await this.#track(() => answer);
      this.#queues.get(itemId)!.confirmed = { state: saved.state, reason: saved.reason };
      // a later click is still on its way: what is on screen is that one
      if (latest()) {
        this.#put(itemId, saved.state, saved.reason);
        // an earlier click's refusal no longer describes the item
        this.#clearError(itemId);
      }
      this.announcement = `"${found.row.title}" in ${wave} is now ${STATE_LONG[saved.state]}. Saved.`;
      return true;
    } catch (e) {
      const back = this.#queues.get(itemId)!.confirmed;
      if (latest()) this.#put(itemId, back.state, back.reason);
      const field = e instanceof ApiError ? e.fieldErrors[0] : undefined;
      const message = field ? `${field.field === 'reason' ? 'Reason' : field.field} ${field.reason}` : errorText(e);
      this.errors = { ...this.errors, [itemId]: message };
      this.announcement = `Not saved: "${found.row.title}" in ${wave} stays ${STATE_LONG[back.state]}. ${message}`;
      return false;
    } finally {
      if (latest()) {
        this.#queues.delete(itemId);
        const saving = { ...this.saving };
        delete saving[itemId];
        this.saving = saving;
      }
    }
  }

  /** Takes a wave live (the owner may pass a reason to go over open items). Rejects with GoLiveRefused. */
  async goLive(waveId: string, overrideReason?: string): Promise<Wave> {
    const wave = await this.#track(() => updateWave(fetch, waveId, overrideReason ? { status: 'live', overrideReason } : { status: 'live' }));
    this.#applyWave(wave);
    this.announcement = `${wave.name} is live.`;
    return wave;
  }

  async changeWave(waveId: string, change: Parameters<typeof updateWave>[2]): Promise<Wave> {
    const wave = await this.#track(() => updateWave(fetch, waveId, change));
    this.#applyWave(wave);
    this.announcement = `${wave.name} saved.`;
    return wave;
  }

  #applyWave(wave: Wave) {
    const at = this.grid.waves.findIndex((w) => w.id === wave.id);
    const view: GridWave = { id: wave.id, name: wave.name, scope: wave.scope, status: wave.status, plannedGoLive: wave.plannedGoLive, completion: wave.completion, blockers: wave.blockers };
    if (at >= 0) this.grid.waves[at] = view;
  }
}
