/**
 * The retro board as reactive state: the Y.Map `retro` is observed deeply and the whole board
 * re-read on every change (local or remote), through the shared helpers in @tandem/collab-protocol
 * so the web and the api read the same shape and skip the same malformed entries.
 */
import { getCard, readBoard, retroMap, type RetroBoard, type RetroCard } from '@tandem/collab-protocol';
import * as Y from 'yjs';

export class BoardState {
  board = $state<RetroBoard>({ columns: [], cards: [] });
  private readonly map: Y.Map<unknown>;
  private readonly observer = () => {
    this.board = readBoard(this.doc);
  };

  constructor(private readonly doc: Y.Doc) {
    this.map = retroMap(doc);
    this.map.observeDeep(this.observer);
    this.observer();
  }

  destroy(): void {
    this.map.unobserveDeep(this.observer);
  }
}

/** A run of cards shown together in a column: one card on its own, or a group. */
export interface CardRun {
  key: string;
  groupId: string | null;
  cards: RetroCard[];
}

/**
 * The column's cards, oldest first, with each group gathered where its first card is. A group
 * of one card (the others moved or deleted) is shown as a single card.
 */
export function columnRuns(cards: readonly RetroCard[], columnId: string): CardRun[] {
  const mine = cards.filter((c) => c.columnId === columnId);
  const size = new Map<string, number>();
  for (const c of mine) if (c.groupId) size.set(c.groupId, (size.get(c.groupId) ?? 0) + 1);
  const runs: CardRun[] = [];
  const byGroup = new Map<string, CardRun>();
  for (const card of mine) {
    const group = card.groupId && (size.get(card.groupId) ?? 0) > 1 ? card.groupId : null;
    if (!group) {
      runs.push({ key: card.id, groupId: null, cards: [card] });
      continue;
    }
    const run = byGroup.get(group);
    if (run) run.cards.push(card);
    else {
      const fresh: CardRun = { key: `group-${group}`, groupId: group, cards: [card] };
      byGroup.set(group, fresh);
      runs.push(fresh);
    }
  }
  return runs;
}

/** Everything needed to put a deleted card back (the Undo of deleting). */
export function snapshotCard(doc: Y.Doc, cardId: string): RetroCard | null {
  const card = getCard(doc, cardId);
  if (!card) return null;
  return readBoard(doc).cards.find((c) => c.id === cardId) ?? null;
}

/** A card's text box as this person left it: what they typed, the text it opened with, the caret. */
export interface CardEdit {
  draft: string;
  /** the card's text when the box opened: saving changes only what was changed since (setCardText) */
  opened: string;
  /** selection start and end in `draft` */
  caret: [number, number];
}

/**
 * The cards being edited in this page, by card id. Kept by the board, not by each card: a card
 * that someone else moves to another column or groups is made anew in its new place, and its text
 * box, what was typed in it and where the caret was must come along.
 */
export class CardEdits {
  #edits = $state<Record<string, CardEdit>>({});

  get(cardId: string): CardEdit | null {
    return this.#edits[cardId] ?? null;
  }

  start(cardId: string, text: string): void {
    this.#edits[cardId] = { draft: text, opened: text, caret: [text.length, text.length] };
  }

  update(cardId: string, draft: string, caret: [number, number]): void {
    const edit = this.#edits[cardId];
    if (!edit) return;
    edit.draft = draft;
    edit.caret = caret;
  }

  stop(cardId: string): void {
    delete this.#edits[cardId];
  }
}
