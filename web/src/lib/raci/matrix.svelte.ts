/**
 * The RACI editor's state: rows and columns on screen, optimistic cell writes that roll back when
 * the api refuses them, and the per-row messages that explain why. The rules themselves come from
 * `@tandem/domain` (the same functions the api runs), so feedback is instant and the server's
 * answer then confirms or corrects it.
 */
import { raciRowViolations, secondAccountable, type RaciViolation } from '@tandem/domain';
import { ApiError } from '$lib/api';
import { addRaciActivity, deleteRaciRow, getRaciMatrix, restoreRaciRow, setRaciCell, type RaciMatrix, type RaciRow, type RaciSubject } from './api';
import { domainCells, LETTER_WORDS, letterOf, subjectKey, type RaciLetter } from './letters';

/** A message tied to one row (and the cell it is about), shown beside the row and the cell. */
export interface RowNote {
  subject: string;
  message: string;
  /** 'conflict' = the api refused; 'pending' = the domain rule predicts a refusal, waiting for the api */
  kind: 'conflict' | 'error' | 'pending';
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : 'unknown error');

export class RaciEditor {
  rows = $state<RaciRow[]>([]);
  columns = $state<RaciSubject[]>([]);
  /** `rowId|subjectKey` of cells whose write is in flight */
  saving = $state<Record<string, true>>({});
  notes = $state<Record<string, RowNote>>({});
  /** the last thing that happened, for the polite live region */
  announcement = $state('');
  /** a newer matrix that arrived while writes were in flight, applied when they finish */
  #waiting: RaciMatrix | null = null;
  #inFlight = 0;
  /** a milestone row's id changes from the milestone's id to a raci_row id on its first letter */
  #aliases = new Map<string, string>();
  /**
   * Cell writes not answered yet, oldest first. They go to the api one at a time, in the order
   * they were made: two quick changes to a cell (Delete, then Enter) sent side by side could land
   * in either order and leave the first, and a milestone row's second letter must use the row id
   * its first one created.
   */
  #queue: { rowId: string; subject: RaciSubject; letter: RaciLetter | null }[] = [];
  #tail: Promise<void> = Promise.resolve();
  /** per cell with writes queued (`rowId|subjectKey`): the letter the api last confirmed, to put back on a refusal */
  #confirmed = new Map<string, RaciLetter | null>();

  constructor(
    private readonly program: string,
    matrix: RaciMatrix,
  ) {
    this.#take(matrix);
  }

  /** Violations of the rule, per row, computed from what is on screen. */
  violations(row: RaciRow): RaciViolation[] {
    return raciRowViolations(row.id, domainCells(row));
  }

  isSaving(row: RaciRow, subject: RaciSubject): boolean {
    return this.saving[`${row.id}|${subjectKey(subject)}`] === true;
  }

  #take(matrix: RaciMatrix) {
    const known = new Set(matrix.columns.map(subjectKey));
    // a column added here but not yet given a letter stays until the page is left
    const extra = this.columns.filter((c) => !known.has(subjectKey(c)));
    this.rows = matrix.rows;
    this.columns = [...matrix.columns, ...extra];
  }

  /**
   * Takes a freshly loaded matrix (the workspace reloads on every committed change). While a cell
   * write is in flight it waits, so a reload cannot undo what is on screen before the api answers.
   */
  accept(matrix: RaciMatrix): void {
    if (this.#inFlight > 0) this.#waiting = matrix;
    else this.#take(matrix);
  }

  async refresh(f: typeof fetch = fetch): Promise<void> {
    try {
      this.accept(await getRaciMatrix(f, this.program));
    } catch {
      // a failed background refresh leaves the matrix as it is; the next change tries again
    }
  }

  addColumn(subject: RaciSubject): boolean {
    if (this.columns.some((c) => subjectKey(c) === subjectKey(subject))) return false;
    this.columns = [...this.columns, subject];
    this.announcement = `${subject.name} added as a column. Give them a letter in a row to keep them in the matrix.`;
    return true;
  }

  #rowIndex(rowId: string): number {
    const alias = this.#aliases.get(rowId);
    return this.rows.findIndex((r) => r.id === rowId || (alias !== undefined && r.id === alias));
  }

  #withLetter(row: RaciRow, subject: RaciSubject, letter: RaciLetter | null): RaciRow {
    const key = subjectKey(subject);
    const cells = row.cells.filter((c) => subjectKey(c.subject) !== key);
    return { ...row, cells: letter ? [...cells, { subject, letter }] : cells };
  }

  #replaceRow(rowId: string, update: (row: RaciRow) => RaciRow) {
    const at = this.#rowIndex(rowId);
    if (at >= 0) this.rows[at] = update(this.rows[at]!);
  }

  #note(rowId: string, note: RowNote | null) {
    const at = this.#rowIndex(rowId);
    const id = at >= 0 ? this.rows[at]!.id : rowId;
    const next = { ...this.notes };
    if (note) next[id] = note;
    else delete next[id];
    this.notes = next;
  }

  /** Sets one cell now, then asks the api; puts it back and says why when the api refuses. */
  async setCell(rowId: string, subject: RaciSubject, letter: RaciLetter | null): Promise<void> {
    const at = this.#rowIndex(rowId);
    if (at < 0) return;
    const row = this.rows[at]!;
    const before = letterOf(row, subject);
    if (before === letter) return;
    const key = subjectKey(subject);
    const savingKey = `${row.id}|${key}`;

    const holder = secondAccountable(domainCells(row), key, letter);
    if (holder) {
      const name = row.cells.find((c) => subjectKey(c.subject) === holder)?.subject.name ?? 'Someone else';
      this.#note(row.id, { subject: key, kind: 'pending', message: `${name} already is Accountable for "${row.title}"; a row has exactly one A` });
    } else if (this.notes[row.id]?.subject === key) {
      this.#note(row.id, null);
    }
    this.rows[at] = this.#withLetter(row, subject, letter);
    this.saving = { ...this.saving, [savingKey]: true };
    this.#inFlight++;
    if (!this.#confirmed.has(savingKey)) this.#confirmed.set(savingKey, before);
    const write = { rowId: row.id, subject, letter };
    this.#queue.push(write);
    const turn = this.#tail.then(() => this.#send(write, row.title, savingKey));
    this.#tail = turn;
    await turn;
  }

  /** Sends one queued write (never rejects): confirms it, or puts the cell back and says why. */
  async #send(write: { rowId: string; subject: RaciSubject; letter: RaciLetter | null }, title: string, savingKey: string): Promise<void> {
    const { subject, letter } = write;
    const key = subjectKey(subject);
    const at = this.#rowIndex(write.rowId);
    // the row's id now: an earlier write may have turned a milestone row into a raci row
    const rowId = at >= 0 ? this.rows[at]!.id : write.rowId;
    try {
      const saved = await setRaciCell(fetch, this.program, { rowId, subject: { type: subject.type, id: subject.id }, letter });
      this.#queue.shift();
      this.#confirmed.set(savingKey, saved.cells.find((c) => subjectKey(c.subject) === key)?.letter ?? null);
      if (saved.id !== rowId) this.#aliases.set(rowId, saved.id);
      this.#replaceRow(rowId, (current) => this.#withQueued({ ...current, id: saved.id, cells: saved.cells }, rowId));
      // the row changed: an earlier refusal in it no longer describes what is on screen
      this.#note(saved.id, null);
      this.announcement = letter
        ? `${subject.name} is now ${LETTER_WORDS[letter]} (${letter}) for "${title}". Saved.`
        : `${subject.name} no longer has a letter for "${title}". Saved.`;
    } catch (e) {
      this.#queue.shift();
      // put back only this cell, as the api last confirmed it (other cells of the row may have been saved meanwhile), under what is still queued
      const before = this.#confirmed.get(savingKey) ?? null;
      this.#replaceRow(rowId, (current) => this.#withQueued(this.#withLetter(current, subject, before), rowId));
      const conflict = e instanceof ApiError && e.status === 409;
      const message = conflict ? errorText(e) : `Could not save: ${errorText(e)}`;
      this.#note(rowId, { subject: key, kind: conflict ? 'conflict' : 'error', message });
      this.announcement = `Not saved. ${message}. The cell is back to ${before ? LETTER_WORDS[before] : 'empty'}.`;
    } finally {
      if (!this.#queue.some((q) => `${q.rowId}|${subjectKey(q.subject)}` === savingKey)) {
        this.#confirmed.delete(savingKey);
        const next = { ...this.saving };
        delete next[savingKey];
        this.saving = next;
      }
      this.#inFlight--;
      if (this.#inFlight === 0 && this.#waiting) {
        // it may predate this write: fetch again rather than show an older state
        this.#waiting = null;
        void this.refresh();
      }
    }
  }

  /** `row` (the row `rowId` names, as the api answered) with the writes to it still queued shown on top. */
  #withQueued(row: RaciRow, rowId: string): RaciRow {
    const at = this.#rowIndex(rowId);
    return this.#queue.filter((q) => this.#rowIndex(q.rowId) === at).reduce((r, q) => this.#withLetter(r, q.subject, q.letter), row);
  }

  dismissNote(rowId: string) {
    this.#note(rowId, null);
  }

  /** Adds a free activity row; throws ApiError (with field errors) for the form to show. */
  async addActivity(title: string): Promise<RaciRow> {
    const created = await addRaciActivity(fetch, this.program, title);
    const row: RaciRow = { id: created.id, kind: created.kind, milestoneId: created.milestoneId, title: created.title, cells: created.cells };
    this.rows = [...this.rows, row];
    this.announcement = `Activity "${row.title}" added at the end of the matrix.`;
    return row;
  }

  /**
   * Deletes a free activity row; `restore` (for Undo) asks the api for the same row back, in its
   * place and with all its letters (even those of people deactivated since, who could not be
   * given one anew).
   */
  async deleteActivity(rowId: string): Promise<{ restore: () => Promise<void> }> {
    const at = this.#rowIndex(rowId);
    const row = at >= 0 ? this.rows[at]! : null;
    if (!row) throw new Error('That row is no longer in the matrix');
    await deleteRaciRow(fetch, row.id);
    this.rows = this.rows.filter((r) => r.id !== row.id);
    this.#note(row.id, null);
    this.announcement = `Activity "${row.title}" deleted.`;
    return {
      restore: async () => {
        const back = await restoreRaciRow(fetch, row.id);
        const restored: RaciRow = { id: back.id, kind: back.kind, milestoneId: back.milestoneId, title: back.title, cells: back.cells };
        // where it was until the reload that follows every change puts the matrix in the api's order
        const others = this.rows.filter((r) => r.id !== restored.id);
        this.rows = [...others.slice(0, at), restored, ...others.slice(at)];
        const known = new Set(this.columns.map(subjectKey));
        this.columns = [...this.columns, ...restored.cells.map((c) => c.subject).filter((s) => !known.has(subjectKey(s)))];
        this.announcement = `Activity "${row.title}" restored with its ${restored.cells.length === 1 ? 'letter' : `${restored.cells.length} letters`}.`;
      },
    };
  }
}
