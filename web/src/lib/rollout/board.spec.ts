import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RolloutGrid } from './api';
import { RolloutBoard } from './board.svelte';

const waveId = '00000000-0000-4000-8000-0000000000b1';
const itemId = '00000000-0000-4000-8000-0000000000c1';

const grid = (): RolloutGrid => ({
  waves: [{ id: waveId, name: 'Wave 1', scope: [], status: 'in_progress', plannedGoLive: null, completion: { closed: 0, total: 1, percent: 0 }, blockers: 1 }],
  rows: [{ templateItemId: null, title: 'Comms sent', required: true, cells: { [waveId]: { itemId, state: 'todo', reason: null, required: true } } }],
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
