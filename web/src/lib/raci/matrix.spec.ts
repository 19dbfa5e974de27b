import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RaciMatrix, RaciRow, RaciSubject } from './api';
import { RaciEditor } from './matrix.svelte';

const priya: RaciSubject = { type: 'user', id: '00000000-0000-4000-8000-000000000001', name: 'Priya Manager' };
const quinn: RaciSubject = { type: 'user', id: '00000000-0000-4000-8000-000000000002', name: 'Quinn QA-Lead' };
const rowId = '00000000-0000-4000-8000-0000000000a1';

function matrix(cells: RaciRow['cells']): RaciMatrix {
  return { rows: [{ id: rowId, kind: 'activity', milestoneId: null, title: 'Retro', cells }], columns: [priya, quinn], violations: [] };
}

/**
 * The api as a fake `fetch` that answers each PUT only when the test says so, keeping the cell
 * state the way the server would: each request is applied when it is answered.
 */
function heldApi(initial: RaciRow['cells']) {
  let cells = initial;
  const held: { body: { rowId: string; subject: RaciSubject; letter: string | null }; answer: (refuse?: boolean) => void }[] = [];
  const fetchFn = vi.fn(
    (_url: string, init: RequestInit) =>
      new Promise<Response>((resolve) => {
        const body = JSON.parse(String(init.body)) as { rowId: string; subject: RaciSubject; letter: 'R' | 'A' | 'C' | 'I' | null };
        held.push({
          body,
          answer: (refuse = false) => {
            if (refuse) return resolve(new Response(JSON.stringify({ statusCode: 409, message: 'refused' }), { status: 409 }));
            const subject = [priya, quinn].find((s) => s.id === body.subject.id)!;
            cells = cells.filter((c) => c.subject.id !== body.subject.id);
            if (body.letter) cells = [...cells, { subject, letter: body.letter }];
            resolve(new Response(JSON.stringify({ id: rowId, kind: 'activity', milestoneId: null, title: 'Retro', cells, violations: [] }), { status: 200 }));
          },
        });
      }),
  );
  vi.stubGlobal('fetch', fetchFn);
  return { held, stored: () => cells };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const letterOf = (editor: RaciEditor, s: RaciSubject) => editor.rows[0]!.cells.find((c) => c.subject.id === s.id)?.letter ?? null;

afterEach(() => vi.unstubAllGlobals());

describe('RaciEditor cell writes', () => {
  it('sends two quick changes to one cell one after the other, and ends on the last', async () => {
    const api = heldApi([{ subject: priya, letter: 'R' }, { subject: quinn, letter: 'A' }]);
    const editor = new RaciEditor('QA', matrix([{ subject: priya, letter: 'R' }, { subject: quinn, letter: 'A' }]));

    const cleared = editor.setCell(rowId, priya, null);
    const again = editor.setCell(rowId, priya, 'R');
    await tick();
    // the second waits for the first: side by side they could land in either order
    expect(api.held.map((h) => h.body.letter)).toEqual([null]);
    expect(letterOf(editor, priya)).toBe('R');

    api.held[0]!.answer();
    await cleared;
    // the first answer (no letter) does not hide the change still queued
    expect(letterOf(editor, priya)).toBe('R');
    expect(editor.isSaving(editor.rows[0]!, priya)).toBe(true);
    await tick();
    expect(api.held.map((h) => h.body.letter)).toEqual([null, 'R']);

    api.held[1]!.answer();
    await again;
    expect(letterOf(editor, priya)).toBe('R');
    expect(api.stored().find((c) => c.subject.id === priya.id)?.letter).toBe('R');
    expect(editor.isSaving(editor.rows[0]!, priya)).toBe(false);
  });

  it('keeps the order across cells of a row, so the one-A rule sees them as they were made', async () => {
    const api = heldApi([{ subject: priya, letter: 'A' }, { subject: quinn, letter: 'R' }]);
    const editor = new RaciEditor('QA', matrix([{ subject: priya, letter: 'A' }, { subject: quinn, letter: 'R' }]));

    const first = editor.setCell(rowId, priya, 'R');
    const second = editor.setCell(rowId, quinn, 'A');
    await tick();
    expect(api.held).toHaveLength(1);
    api.held[0]!.answer();
    await first;
    await tick();
    expect(api.held.map((h) => [h.body.subject.id, h.body.letter])).toEqual([
      [priya.id, 'R'],
      [quinn.id, 'A'],
    ]);
    api.held[1]!.answer();
    await second;
    expect([letterOf(editor, priya), letterOf(editor, quinn)]).toEqual(['R', 'A']);
  });

  it('puts a refused cell back to what the api last confirmed, not to an earlier refused change', async () => {
    const api = heldApi([{ subject: quinn, letter: 'A' }]);
    const editor = new RaciEditor('QA', matrix([{ subject: quinn, letter: 'A' }]));
    const first = editor.setCell(rowId, priya, 'C');
    const second = editor.setCell(rowId, priya, 'I');
    await tick();
    api.held[0]!.answer(true);
    await first;
    // the refused first change does not undo the second on screen
    expect(letterOf(editor, priya)).toBe('I');
    await tick();
    api.held[1]!.answer(true);
    await second;
    expect(letterOf(editor, priya)).toBe(null);
    expect(api.stored().find((c) => c.subject.id === priya.id)).toBeUndefined();
  });
});
