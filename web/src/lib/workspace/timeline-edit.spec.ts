import { describe, expect, it } from 'vitest';
import type { Milestone } from './api';
import type { Row, Span } from './timeline';
import { TimelineEdits } from './timeline-edit.svelte';

const milestone = { id: '00000000-0000-4000-8000-0000000000a1', title: 'Pilot go-live', startDate: '2027-03-01', dueDate: '2027-03-05' } as Milestone;
const row = (span: Span = { start: '2027-03-01', due: '2027-03-05' }): Row => ({ m: milestone, span, point: false, baseline: null });
const key = (k: string, shiftKey = false) => ({ key: k, shiftKey, preventDefault() {} }) as KeyboardEvent;

/** onsave as the page gives it, answered when the test says so. */
function heldSaves() {
  const held: { span: Span; before: Span; answer: (refuse?: boolean) => void }[] = [];
  const edits = new TimelineEdits(
    () => true,
    (_m, span, before) =>
      new Promise<void>((resolve, reject) => held.push({ span, before, answer: (refuse = false) => (refuse ? reject(new Error('refused')) : resolve()) })),
  );
  return { edits, held };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('TimelineEdits: moving a bar while it saves', () => {
  it('keeps a move made while the bar saves, and saves it on Enter from the dates just saved', async () => {
    const { edits, held } = heldSaves();
    edits.keydown(key('ArrowRight'), row());
    edits.keydown(key('Enter'), row());
    expect(held.map((h) => h.span)).toEqual([{ start: '2027-03-02', due: '2027-03-06' }]);
    expect(edits.saving[milestone.id]).toBe(true);

    // one more day while the first save is on its way: taken, not ignored
    edits.keydown(key('ArrowRight'), row());
    expect(edits.spanOf(row())).toEqual({ start: '2027-03-03', due: '2027-03-07' });

    held[0]!.answer();
    await tick();
    // the confirmed save does not wipe the later move
    expect(edits.spanOf(row({ start: '2027-03-02', due: '2027-03-06' }))).toEqual({ start: '2027-03-03', due: '2027-03-07' });
    expect(edits.status).toContain('is not saved yet');

    edits.keydown(key('Enter'), row({ start: '2027-03-02', due: '2027-03-06' }));
    expect(held.map((h) => h.span)).toEqual([
      { start: '2027-03-02', due: '2027-03-06' },
      { start: '2027-03-03', due: '2027-03-07' },
    ]);
    expect(held[1]!.before).toEqual({ start: '2027-03-02', due: '2027-03-06' });
    held[1]!.answer();
    await tick();
    expect(edits.drafts).toEqual({});
  });

  it('saves a drop made while the bar saves once the earlier save is answered, from the dates it left', async () => {
    const { edits, held } = heldSaves();
    edits.keydown(key('ArrowLeft'), row());
    edits.keydown(key('Enter'), row());
    // a drag and drop two days to the right while that save is on its way
    const bar = { getAttribute: () => null, setPointerCapture() {} } as unknown as Element;
    edits.pointerdown({ button: 0, clientX: 100, pointerId: 1, target: bar, currentTarget: bar } as unknown as PointerEvent, row());
    edits.pointermove({ clientX: 140 } as PointerEvent, row(), 20);
    edits.pointerup(row());
    expect(held).toHaveLength(1);

    held[0]!.answer(true); // the first save is refused: the second starts from the stored dates
    await tick();
    expect(held).toHaveLength(2);
    expect(held[1]!.span).toEqual({ start: '2027-03-02', due: '2027-03-06' });
    expect(held[1]!.before).toEqual({ start: '2027-03-01', due: '2027-03-05' });
    held[1]!.answer();
    await tick();
    expect(edits.drafts).toEqual({});
    expect(edits.saving).toEqual({});
  });
});
