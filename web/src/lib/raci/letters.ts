import { RACI_LETTERS, type RaciCell, type RaciLetter } from '@tandem/domain';
import type { RaciRow, RaciSubject } from './api';

export { RACI_LETTERS, type RaciLetter };

export const LETTER_WORDS: Record<RaciLetter, string> = {
  R: 'Responsible',
  A: 'Accountable',
  C: 'Consulted',
  I: 'Informed',
};

export const LETTER_HINTS: Record<RaciLetter, string> = {
  R: 'does the work; at least one per row',
  A: 'owns the outcome; exactly one per row',
  C: 'asked before decisions',
  I: 'kept up to date',
};

/** Click and Enter/Space cycle R → A → C → I → empty → R. */
export function nextLetter(letter: RaciLetter | null): RaciLetter | null {
  if (letter === null) return 'R';
  const at = RACI_LETTERS.indexOf(letter);
  return at === RACI_LETTERS.length - 1 ? null : RACI_LETTERS[at + 1]!;
}

/** The key the domain rules use for a person or a team: `user:<id>` or `team:<id>`. */
export const subjectKey = (s: Pick<RaciSubject, 'type' | 'id'>): string => `${s.type}:${s.id}`;

export const domainCells = (row: Pick<RaciRow, 'cells'>): RaciCell[] => row.cells.map((c) => ({ subject: subjectKey(c.subject), letter: c.letter }));

export function letterOf(row: Pick<RaciRow, 'cells'>, subject: Pick<RaciSubject, 'type' | 'id'>): RaciLetter | null {
  const key = subjectKey(subject);
  return row.cells.find((c) => subjectKey(c.subject) === key)?.letter ?? null;
}

/** The letter typed on the keyboard, if it is one of R, A, C, I. */
export function letterFromKey(key: string): RaciLetter | null {
  const upper = key.length === 1 ? key.toUpperCase() : '';
  return (RACI_LETTERS as readonly string[]).includes(upper) ? (upper as RaciLetter) : null;
}

/** People first, by name, then teams: the order the api gives its columns. */
export function compareSubjects(a: RaciSubject, b: RaciSubject): number {
  if (a.type !== b.type) return a.type === 'user' ? -1 : 1;
  return a.name.localeCompare(b.name, 'en');
}
