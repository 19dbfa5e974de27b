import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RolloutGrid } from './api';
import { RolloutBoard } from './board.svelte';

const waveId = '00000000-0000-4000-8000-0000000000b1';
const itemId = '00000000-0000-4000-8000-0000000000c1';

const grid = (): RolloutGrid => ({
  waves: [{ id: waveId, name: 'Wave 1', scope: [], status: 'in_progress', plannedGoLive: null, completion: { closed: 0, total: 1, percent: 0 }, blockers: 1 }],
  rows: [{ templateItemId: null, title: 'Comms sent', required: true, cells: { [waveId]: { itemId, state: 'todo', reason: null, required: true, dueDate: null } } }],
});

/** The api as a fake `fetch` that answers each PATCH when the test says so (refusing it when asked). */
function heldApi() {
  const held: { body: { state: string }; answer: (refuse?: boolean) => void }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((resolve) => {
          const body = JSON.parse(String(init.body)) as { state: string; reason?: string };
          held.push({
            body,
            answer: (refuse = false) =>
              resolve(
                refuse
                  ? new Response(JSON.stringify({ statusCode: 400, message: 'refused' }), { status: 400 })
                  : new Response(JSON.stringify({ id: itemId, state: body.state, reason: body.reason ?? null }), { status: 200 }),
              ),
          });
        }),
    ),
  );
  return held;
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const stateOf = (board: RolloutBoard) => board.grid.rows[0]!.cells[waveId]!.state;

afterEach(() => vi.unstubAllGlobals());

describe('RolloutBoard checklist writes', () => {
  it('sends a quick second click after the first is answered, and ends on the second', async () => {
    const held = heldApi();
    const board = new RolloutBoard('QA', grid());
    const done = board.setState(itemId, 'done');
    const undone = board.setState(itemId, 'todo');
    await tick();
    expect(held.map((h) => h.body.state)).toEqual(['done']);
    expect(stateOf(board)).toBe('todo');

    held[0]!.answer();
    await done;
    // the first answer does not show "done" over the click still on its way
    expect(stateOf(board)).toBe('todo');
    expect(board.saving[itemId]).toBe(true);
    await tick();
    expect(held.map((h) => h.body.state)).toEqual(['done', 'todo']);

    held[1]!.answer();
    await undone;
    expect(stateOf(board)).toBe('todo');
    expect(board.saving[itemId]).toBeUndefined();
  });

  it('puts back what the api last confirmed when the latest click is refused', async () => {
    const held = heldApi();
    const board = new RolloutBoard('QA', grid());
    const done = board.setState(itemId, 'done');
    const na = board.setState(itemId, 'not_applicable');
    await tick();
    held[0]!.answer(true);
    expect(await done).toBe(false);
    // the refused first click does not undo the second on screen
    expect(stateOf(board)).toBe('not_applicable');
    await tick();
    held[1]!.answer(true);
    expect(await na).toBe(false);
    // both refused: back to what the api has, not to the first click's "done"
    expect(stateOf(board)).toBe('todo');
    expect(board.errors[itemId]).toBeTruthy();
  });

  it('drops an earlier refusal once the latest click is saved', async () => {
    const held = heldApi();
    const board = new RolloutBoard('QA', grid());
    const refused = board.setState(itemId, 'done');
    const saved = board.setState(itemId, 'not_applicable', 'No comms this wave');
    await tick();
    held[0]!.answer(true);
    expect(await refused).toBe(false);
    expect(board.errors[itemId]).toBeTruthy();
    await tick();
    held[1]!.answer();
    expect(await saved).toBe(true);
    expect(stateOf(board)).toBe('not_applicable');
    expect(board.errors[itemId]).toBeUndefined();
  });
});

describe('what is overdue on the board', () => {
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const W1 = '00000000-0000-4000-8000-0000000000b1';
  const W2 = '00000000-0000-4000-8000-0000000000b2';
  type Cell = NonNullable<RolloutGrid['rows'][number]['cells'][string]>;
  const cell = (id: string, dueDate: string | null, state: Cell['state'] = 'todo', required = true): Cell => ({ itemId: id, state, reason: state === 'blocked' ? 'why' : null, required, dueDate });
  const wave = (id: string, name: string, status: RolloutGrid['waves'][number]['status'], plannedGoLive: string | null) => ({
    id,
    name,
    scope: [],
    status,
    plannedGoLive,
    completion: { closed: 0, total: 0, percent: 100 },
    blockers: 0,
  });
  const overdueGrid = (): RolloutGrid => ({
    // Pilot went live (over open items: they no longer gate anything); Wave 1 missed its go-live
    waves: [wave(W1, 'Pilot', 'live', day(-20)), wave(W2, 'Wave 1', 'in_progress', day(-5))],
    rows: [
      { templateItemId: 't1', title: 'Training done', required: true, cells: { [W1]: cell('p1', day(-30)), [W2]: cell('a1', day(-3)) } },
      { templateItemId: 't2', title: 'Macros updated', required: true, cells: { [W1]: cell('p2', day(-30), 'done'), [W2]: cell('a2', day(-1), 'blocked') } },
      { templateItemId: 't3', title: 'Comms sent', required: false, cells: { [W1]: null, [W2]: cell('a3', day(-3), 'todo', false) } },
      { templateItemId: 't4', title: 'Go/no-go', required: true, cells: { [W1]: null, [W2]: cell('a4', day(0)) } },
      { templateItemId: 't5', title: 'Site survey', required: true, cells: { [W1]: null, [W2]: cell('a5', day(-9), 'not_applicable') } },
      { templateItemId: 't6', title: 'Badge access', required: true, cells: { [W1]: null, [W2]: cell('a6', null) } },
    ],
  });

  it("counts the items the signals count: required, open, past due, on a wave not live", () => {
    const board = new RolloutBoard('QA', overdueGrid());
    expect(board.overdue(W2).map((i) => i.id)).toEqual(['a1', 'a2']);
    expect(board.overdue(W1)).toEqual([]);
    expect(board.overdueCount).toBe(2);
    expect(board.isOverdue(W2, overdueGrid().rows[0]!.cells[W2]!)).toBe(true);
    expect(board.isOverdue(W1, overdueGrid().rows[0]!.cells[W1]!)).toBe(false);
  });

  it("says how late a wave's go-live is, and nothing for a live wave", () => {
    const board = new RolloutBoard('QA', overdueGrid());
    expect(board.goLiveDaysLate(board.grid.waves[1]!)).toBe(5);
    expect(board.goLiveDaysLate(board.grid.waves[0]!)).toBeNull();
  });

  it('filters the grid to the overdue items: their waves and their rows', () => {
    const board = new RolloutBoard('QA', overdueGrid());
    const shown = board.shown(true);
    expect(shown.waves.map((w) => w.name)).toEqual(['Wave 1']);
    expect(shown.rows.map((r) => r.title)).toEqual(['Training done', 'Macros updated']);
    expect(board.shown(false)).toBe(board.grid);
  });
});
