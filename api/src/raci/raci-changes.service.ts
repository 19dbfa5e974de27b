import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { secondAccountable, type CreateRaciActivityInput, type SetRaciCellInput } from '@tandem/domain';
import { ProgramChanges, type ChangeContext } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { ValidationFailed } from '../common/validation';
import { Milestone } from '../milestones/milestone.entity';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';
import { RaciAssignment, RaciRow } from './raci.entity';
import { cellViews, loadSubjects, parseSubjectKey, rowChangeView, subjectKey, type RaciRowChangeView, type RaciSubjectView } from './raci.view';

const ONE_ACCOUNTABLE_INDEX = 'raci_assignment_one_accountable';
const rowNotFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'RACI row not found' });

/** A row as a cell write sees it: the raci_row (absent while a milestone has no letters yet). */
interface TargetRow {
  row: RaciRow | null;
  milestone: Milestone | null;
  title: string;
}

/** Changing the matrix: free activities, and one cell at a time under the "one A per row" rule. */
@Injectable()
export class RaciChangesService {
  constructor(private readonly em: EntityManager, private readonly changes: ProgramChanges) {}

  async createActivity(actor: Actor, idOrKey: string, input: CreateRaciActivityInput): Promise<RaciRowChangeView> {
    return this.changes.apply(actor, idOrKey, 'write', async ({ program, tx, record }) => {
      const position = input.position ?? (await this.nextPosition(tx, program.id));
      const row = tx.create(RaciRow, { program, activity: input.activity, position });
      record({ entityType: 'raci_row', entityId: row.id, action: 'created', summary: `added the RACI activity "${input.activity}"`, changes: { activity: { before: null, after: input.activity } } });
      return rowChangeView({ id: row.id, kind: 'activity', milestoneId: null, title: input.activity, cells: [] });
    });
  }

  /**
   * Milestone rows follow their milestone; only free activities are deleted here. The row is
   * marked removed with its letters kept, for `restoreRow`; deleting it twice is 404.
   */
  async deleteRow(actor: Actor, rowId: string): Promise<void> {
    await this.changes.applyToChild(actor, RaciRow, rowId, 'RACI row', 'write', async ({ tx, record }, row) => {
      if (row.removedAt) throw rowNotFound();
      if (row.milestone) {
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message: 'This row belongs to a milestone; it goes when the milestone is deleted' });
      }
      row.removedAt = new Date();
      const letters = await tx.count(RaciAssignment, { row });
      const withLetters = letters ? ` with its ${letters === 1 ? 'letter' : `${letters} letters`}` : '';
      record({ entityType: 'raci_row', entityId: row.id, action: 'deleted', summary: `removed the RACI activity "${row.activity ?? ''}"${withLetters}`, changes: { activity: { before: row.activity, after: null } } });
    });
  }

  /**
   * The Undo of deleting a free activity: the same row, in its place, with every letter it had.
   * A row that is in the matrix is answered as it is.
   */
  async restoreRow(actor: Actor, rowId: string): Promise<RaciRowChangeView> {
    return this.changes.applyToChild(actor, RaciRow, rowId, 'RACI row', 'write', async ({ tx, record }, row) => {
      await tx.populate(row, ['milestone']);
      if (row.removedAt) {
        row.removedAt = null;
        record({ entityType: 'raci_row', entityId: row.id, action: 'restored', summary: `put back the RACI activity "${row.activity ?? ''}"`, changes: { activity: { before: null, after: row.activity } } });
      }
      const assignments = await tx.find(RaciAssignment, { row });
      const subjects = await loadSubjects(tx, assignments);
      return rowChangeView({
        id: row.id,
        kind: row.milestone ? 'milestone' : 'activity',
        milestoneId: row.milestone?.id ?? null,
        title: row.milestone?.title ?? row.activity ?? '',
        cells: cellViews(assignments, subjects),
      });
    });
  }

  /**
   * Sets or clears one cell. The rule check reads the row inside the transaction; two writers that
   * both pass it lose to the partial unique index instead, and get the same 409. A lost race to
   * create a milestone's raci_row is simply tried once more (the second try finds the row).
   */
  async setCell(actor: Actor, idOrKey: string, input: SetRaciCellInput): Promise<RaciRowChangeView> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.changes.apply(actor, idOrKey, 'write', (ctx) => this.writeCell(ctx, input));
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        if (error.message.includes(ONE_ACCOUNTABLE_INDEX)) throw await this.accountableConflictAfterRace(input.rowId);
        if (attempt >= 2) throw error;
      }
    }
  }

  private async writeCell(ctx: ChangeContext, input: SetRaciCellInput): Promise<RaciRowChangeView> {
    const { tx, program, record } = ctx;
    const target = await this.targetRow(tx, program.id, input.rowId);
    const subject = await this.subject(tx, input.subject);
    const key = subjectKey(subject.type, subject.id);
    const assignments = target.row ? await tx.find(RaciAssignment, { row: target.row }) : [];
    const cells = assignments.map((a) => ({ subject: subjectKey(a.subjectType, a.subjectId), letter: a.letter }));
    const holder = secondAccountable(cells, key, input.letter);
    if (holder) throw await this.secondAccountableConflict(tx, holder, target.title);

    const existing = assignments.find((a) => subjectKey(a.subjectType, a.subjectId) === key);
    const before = existing?.letter ?? null;
    let row = target.row;
    let after = assignments;
    if (before !== input.letter) {
      row ??= tx.create(RaciRow, { program, milestone: target.milestone });
      if (input.letter === null) {
        tx.remove(existing!);
        after = assignments.filter((a) => a !== existing);
      } else if (existing) {
        existing.letter = input.letter;
      } else {
        after = [...assignments, tx.create(RaciAssignment, { row, subjectType: subject.type, subjectId: subject.id, letter: input.letter, program })];
      }
      const shown = (letter: string | null) => letter ?? 'nothing';
      record({
        entityType: 'raci_row',
        entityId: row.id,
        action: 'updated',
        summary: `${subject.name}: ${shown(before)} → ${shown(input.letter)} on "${target.title}"`,
        changes: { letter: { before, after: input.letter } },
      });
    }
    const subjects = await loadSubjects(tx, after);
    return rowChangeView({
      id: row?.id ?? target.milestone!.id,
      kind: target.milestone ? 'milestone' : 'activity',
      milestoneId: target.milestone?.id ?? null,
      title: target.title,
      cells: cellViews(after, subjects),
    });
  }

  /** A raci_row of this program, or a milestone of this program (its row may not exist yet). */
  private async targetRow(tx: EntityManager, programId: string, rowId: string): Promise<TargetRow> {
    const row = await tx.findOne(RaciRow, { id: rowId, program: programId, removedAt: null }, { populate: ['milestone'] });
    if (row) return { row, milestone: row.milestone, title: row.milestone?.title ?? row.activity ?? '' };
    const milestone = await tx.findOne(Milestone, { id: rowId, program: programId });
    if (!milestone) throw rowNotFound();
    return { row: await tx.findOne(RaciRow, { milestone }), milestone, title: milestone.title };
  }

  private async subject(tx: EntityManager, subject: SetRaciCellInput['subject']): Promise<RaciSubjectView> {
    if (subject.type === 'user') {
      const user = await tx.findOne(User, { id: subject.id, active: true });
      if (!user) throw new ValidationFailed([{ field: 'subject.id', reason: 'no active person has this id' }]);
      return { type: 'user', id: user.id, name: user.name };
    }
    const team = await tx.findOne(Team, { id: subject.id });
    if (!team) throw new ValidationFailed([{ field: 'subject.id', reason: 'no team has this id' }]);
    return { type: 'team', id: team.id, name: team.name };
  }

  private async secondAccountableConflict(em: EntityManager, holderKey: string, title: string): Promise<ConflictException> {
    const parsed = parseSubjectKey(holderKey);
    const subjects = await loadSubjects(em, [{ subjectType: parsed.type, subjectId: parsed.id }]);
    const holder = subjects.get(holderKey)!;
    return new ConflictException({
      statusCode: 409,
      error: 'Conflict',
      message: `${holder.name} already is Accountable for "${title}"; a row has exactly one A`,
      holder,
    });
  }

  /** After losing the race to the unique index: who won, read fresh outside the failed transaction. */
  private async accountableConflictAfterRace(rowId: string): Promise<ConflictException> {
    const em = this.em.fork();
    const row = (await em.findOne(RaciRow, { id: rowId }, { populate: ['milestone'] })) ?? (await em.findOne(RaciRow, { milestone: rowId }, { populate: ['milestone'] }));
    const holder = row ? await em.findOne(RaciAssignment, { row, letter: 'A' }) : null;
    if (!row || !holder) {
      return new ConflictException({ statusCode: 409, error: 'Conflict', message: 'Someone else changed who is Accountable for this row at the same time; reload and try again' });
    }
    return this.secondAccountableConflict(em, subjectKey(holder.subjectType, holder.subjectId), row.milestone?.title ?? row.activity ?? '');
  }

  /** Deleted activities count: one restored later keeps a place of its own. */
  private async nextPosition(tx: EntityManager, programId: string): Promise<number> {
    const [last] = await tx.find(RaciRow, { program: programId, milestone: null }, { fields: ['position'], orderBy: { position: 'desc' }, limit: 1 });
    return last ? last.position + 1 : 0;
  }
}
