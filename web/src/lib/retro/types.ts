import type { RetroCard } from '@tandem/collab-protocol';

export type ConvertTarget = { to: 'milestone' } | { to: 'checklist_item'; waveId: string };

/** What a card can ask the board to do (the board owns the Y.Doc). */
export interface CardActions {
  vote(card: RetroCard): void;
  /** `opened`: the text the text box started from */
  setText(card: RetroCard, text: string, opened: string): void;
  move(card: RetroCard, columnId: string): void;
  toggleAction(card: RetroCard): void;
  remove(card: RetroCard): void;
  ungroup(card: RetroCard): void;
  convert(card: RetroCard, target: ConvertTarget): Promise<string | null>;
}
