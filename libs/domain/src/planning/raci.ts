export const RACI_LETTERS = ['R', 'A', 'C', 'I'] as const;
export type RaciLetter = (typeof RACI_LETTERS)[number];

export interface RaciCell {
  /** a person or a team, e.g. `user:<id>` or `team:<id>` */
  subject: string;
  letter: RaciLetter;
}

export type RaciRule = 'no_accountable' | 'multiple_accountable' | 'no_responsible';

export interface RaciViolation {
  rowId: string;
  rule: RaciRule;
  message: string;
}

const MESSAGES: Record<RaciRule, string> = {
  no_accountable: 'needs exactly one Accountable (A); it has none',
  multiple_accountable: 'needs exactly one Accountable (A); it has more than one',
  no_responsible: 'needs at least one Responsible (R)',
};

/** The rule: each row has exactly one A and at least one R. */
export function raciRowViolations(rowId: string, cells: readonly RaciCell[]): RaciViolation[] {
  const accountable = cells.filter((c) => c.letter === 'A').length;
  const responsible = cells.some((c) => c.letter === 'R');
  const rules: RaciRule[] = [];
  if (accountable === 0) rules.push('no_accountable');
  if (accountable > 1) rules.push('multiple_accountable');
  if (!responsible) rules.push('no_responsible');
  return rules.map((rule) => ({ rowId, rule, message: MESSAGES[rule] }));
}

export function raciViolations(rows: readonly { id: string; cells: readonly RaciCell[] }[]): RaciViolation[] {
  return rows.flatMap((row) => raciRowViolations(row.id, row.cells));
}

/**
 * Setting `subject`'s cell in a row to `letter` (null clears it). Refused only when it would give
 * the row a second A — a row may be incomplete while it is being filled in, but never ambiguous.
 * Returns the subject that already holds A when refused.
 */
export function secondAccountable(cells: readonly RaciCell[], subject: string, letter: RaciLetter | null): string | null {
  if (letter !== 'A') return null;
  const holder = cells.find((c) => c.letter === 'A' && c.subject !== subject);
  return holder?.subject ?? null;
}

/**
 * An activity — a RACI row: a milestone or a free-standing activity — that breaks the rule, with
 * every way it does. This is what "RACI gaps" counts everywhere (the signals, computed health, the
 * RACI page, the status report): activities, not rule breaches, so an empty row is one gap that
 * needs an A and an R.
 */
export interface RaciGap<V extends RaciViolation = RaciViolation> {
  rowId: string;
  violations: V[];
}

/** Violations grouped by activity, in the order the activities first appear. */
export function raciGaps<V extends RaciViolation>(violations: readonly V[]): RaciGap<V>[] {
  const byRow = new Map<string, V[]>();
  for (const v of violations) {
    const list = byRow.get(v.rowId);
    if (list) list.push(v);
    else byRow.set(v.rowId, [v]);
  }
  return [...byRow].map(([rowId, list]) => ({ rowId, violations: list }));
}

/** "1 activity with a RACI gap", "6 activities with RACI gaps". */
export const raciGapWords = (activities: number): string =>
  activities === 1 ? '1 activity with a RACI gap' : `${activities} activities with RACI gaps`;
