import { formatDate } from '$lib/format';
import { messageOf, type Milestone } from './api';
import { sameSpan, shift, type Row, type Span } from './timeline';

const spanText = (r: Row, s: Span) => (r.point ? formatDate(s.due) : `${formatDate(s.start)} to ${formatDate(s.due)}`);

/**
 * Unsaved moves of timeline bars, by keyboard or pointer, and their saving. A moved bar keeps its
 * draft dates until the save is confirmed, so a live refresh in between does not make it jump.
 */
export class TimelineEdits {
  drafts = $state<Record<string, Span>>({});
  saving = $state<Record<string, boolean>>({});
  /** what happened last, for the status line (an aria-live region) */
  status = $state('');
  #drag: { id: string; x0: number; from: Span; resize: boolean; moved: boolean } | null = null;
  /** bars asked to save again while a save of theirs was on its way */
  readonly #again = new Set<string>();

  constructor(
    private readonly canEdit: () => boolean,
    private readonly onsave: (m: Milestone, span: Span, before: Span) => Promise<void>,
  ) {}

  spanOf = (r: Row): Span => this.drafts[r.m.id] ?? r.span;
  dirty = (r: Row): boolean => !!this.drafts[r.m.id] && !sameSpan(this.drafts[r.m.id]!, r.span);

  #set(r: Row, span: Span) {
    if (sameSpan(span, r.span)) {
      const { [r.m.id]: _, ...rest } = this.drafts;
      this.drafts = rest;
    } else this.drafts = { ...this.drafts, [r.m.id]: span };
  }

  /**
   * Saves a bar's draft. A bar stays movable while it saves: a move made meanwhile stays a draft
   * (it is not wiped when the earlier save is confirmed), and a drop or Enter meanwhile is saved
   * as soon as the earlier save is answered, from the dates that save left.
   */
  async save(r: Row) {
    const span = this.drafts[r.m.id];
    if (!span || !this.dirty(r)) return;
    if (this.saving[r.m.id]) {
      this.#again.add(r.m.id);
      return;
    }
    this.saving = { ...this.saving, [r.m.id]: true };
    this.status = `Saving "${r.m.title}"…`;
    let stored = r.span;
    try {
      await this.onsave(r.m, span, r.span);
      stored = span;
      const now = this.drafts[r.m.id];
      if (now && !sameSpan(now, span)) {
        this.status = `Saved "${r.m.title}": ${spanText(r, span)}. The later move to ${spanText(r, now)} is not saved yet${this.#again.has(r.m.id) ? '' : ': Enter saves, Escape cancels'}.`;
      } else {
        const { [r.m.id]: _, ...rest } = this.drafts;
        this.drafts = rest;
        this.status = `Saved "${r.m.title}": ${spanText(r, span)}.`;
      }
    } catch (e) {
      this.status = `Could not save "${r.m.title}": ${messageOf(e)}. Press Escape to undo the move.`;
    } finally {
      const { [r.m.id]: _, ...rest } = this.saving;
      this.saving = rest;
    }
    if (this.#again.delete(r.m.id)) await this.save({ ...r, span: stored });
  }

  /** ←/→ move a day, Shift+←/→ change the due date, Enter (or Space) saves, Escape cancels. */
  keydown(event: KeyboardEvent, r: Row) {
    if (!this.canEdit()) return;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      const next = shift(this.spanOf(r), event.key === 'ArrowLeft' ? -1 : 1, event.shiftKey, r.point);
      this.#set(r, next);
      this.status = `${r.m.title}: ${spanText(r, next)}, not saved. Enter saves, Escape cancels.`;
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      void this.save(r);
    } else if (event.key === 'Escape' && this.drafts[r.m.id]) {
      event.preventDefault();
      this.#set(r, r.span);
      this.status = `Move of "${r.m.title}" cancelled.`;
    }
  }

  /** A drag on the bar moves it; on its right edge (data-handle="resize") it changes the due date. */
  pointerdown(event: PointerEvent, r: Row) {
    if (!this.canEdit() || event.button !== 0) return;
    const resize = (event.target as Element).getAttribute('data-handle') === 'resize';
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
    this.#drag = { id: r.m.id, x0: event.clientX, from: this.spanOf(r), resize, moved: false };
  }

  pointermove(event: PointerEvent, r: Row, dayWidth: number) {
    const drag = this.#drag;
    if (!drag || drag.id !== r.m.id) return;
    const days = Math.round((event.clientX - drag.x0) / dayWidth);
    if (days !== 0) drag.moved = true;
    if (drag.moved) this.#set(r, shift(drag.from, days, drag.resize, r.point));
  }

  /** Saves on drop. */
  pointerup(r: Row) {
    const drag = this.#drag;
    if (!drag || drag.id !== r.m.id) return;
    this.#drag = null;
    if (drag.moved && this.dirty(r)) void this.save(r);
  }
}
