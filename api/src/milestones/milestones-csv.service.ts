import { Injectable } from '@nestjs/common';
import { EntityManager, QueryOrder } from '@mikro-orm/postgresql';
import { slipDays, type FieldError, type ImportQuery } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { changedFieldWords, diffFields } from '../activity/changes';
import { ProgramChanges, type ChangeContext } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { writeCsv } from '../common/csv';
import { csvText, idsIn, importHeader, peopleByEmail, refuseImport, type ImportHeader } from '../common/csv-import';
import type { Program } from '../programs/program.entity';
import { SignalsService } from '../signals/signals.service';
import { User } from '../users/user.entity';
import { Milestone } from './milestone.entity';
import { linkedItems } from './milestone-reader.service';
import { ownerEmailsIn, EXPORT_COLUMNS, planImport, readImportFile, type ImportFile, type PlannedRow } from './milestone-import';
import { EMPTY_SNAPSHOT, snapshot, TRACKED } from './milestone.view';
import { nextPosition } from './milestones.service';

export interface CsvFile {
  filename: string;
  body: string;
}

export interface ImportRowResult {
  line: number;
  action: PlannedRow['action'];
  errors: FieldError[];
  /** the milestone written or left as it was (real runs only) */
  id?: string;
}

export interface ImportResult extends ImportHeader {
  dryRun: boolean;
  valid: boolean;
  rows: ImportRowResult[];
}

const ORDER = { position: QueryOrder.ASC, dueDate: QueryOrder.ASC_NULLS_LAST, id: QueryOrder.ASC } as const;

/** Milestones out to a spreadsheet and back in, in the same columns. */
@Injectable()
export class MilestonesCsvService {
  constructor(
    private readonly em: EntityManager,
    private readonly access: AccessService,
    private readonly changes: ProgramChanges,
    private readonly signals: SignalsService,
  ) {}

  /** With a byte-order mark so Excel reads names with accents as UTF-8. */
  async export(actor: Actor, programIdOrKey: string): Promise<CsvFile> {
    const { program } = await this.access.requireProgram(actor, programIdOrKey, 'read');
    const [milestones, baselines] = await Promise.all([
      this.em.find(Milestone, { program }, { populate: ['owner'], orderBy: ORDER }),
      this.signals.latestBaselineDates([program.id]),
    ]);
    const rows = milestones.map((m) => {
      const baselineDue = baselines.get(m.id)?.dueDate ?? null;
      return [m.id, m.title, m.description, m.owner?.email, m.startDate, m.dueDate, m.status, m.workstream, m.position, baselineDue, slipDays(m.dueDate, baselineDue)];
    });
    return { filename: `${program.key}-milestones.csv`, body: writeCsv([EXPORT_COLUMNS, ...rows], { bom: true }) };
  }

  /**
   * A dry run only reports. A real run writes nothing unless every row is valid (400 with the same
   * rows otherwise), then writes every row in one transaction with one activity row per milestone
   * it changes. An unchanged row is not written at all.
   */
  async import(actor: Actor, programIdOrKey: string, body: unknown, query: ImportQuery): Promise<ImportResult> {
    if (query.dryRun) {
      const { program } = await this.access.requireProgram(actor, programIdOrKey, 'write');
      const file = readImportFile(csvText(body));
      const rows = await this.plan(this.em, program, file);
      return { dryRun: true, valid: rows.every((r) => !r.errors.length), ...importHeader(file), rows: rows.map(result) };
    }
    return this.changes.apply(actor, programIdOrKey, 'write', async (ctx) => {
      const file = readImportFile(csvText(body));
      const rows = await this.plan(ctx.tx, ctx.program, file);
      if (rows.some((r) => r.errors.length)) refuseImport(file, rows.map(result));
      const written: ImportRowResult[] = [];
      let position = await nextPosition(ctx.tx, ctx.program);
      for (const row of rows) {
        const id = row.action === 'create' ? await this.create(ctx, row, () => position++) : row.action === 'update' ? await this.update(ctx, row) : row.id;
        written.push({ ...result(row), id });
      }
      return { dryRun: false, valid: true, ...importHeader(file), rows: written };
    });
  }

  /**
   * Reads what the rows refer to in three queries, then decides every row. One after another: in a
   * real run `em` is the transaction, whose single connection must not be shared.
   */
  private async plan(em: EntityManager, program: Program, file: ImportFile): Promise<PlannedRow[]> {
    const ids = idsIn(file);
    const emails = ownerEmailsIn(file);
    const milestones = ids.length ? await em.find(Milestone, { program, id: { $in: ids } }) : [];
    const people = await peopleByEmail(em, emails);
    const links = await linkedItems(em, milestones.map((m) => m.id));
    return planImport(file, {
      milestones: new Map(
        milestones.map((m) => [
          m.id,
          { id: m.id, title: m.title, description: m.description, ownerId: m.owner?.id ?? null, startDate: m.startDate, dueDate: m.dueDate, status: m.status, position: m.position, workstream: m.workstream },
        ]),
      ),
      people,
      links,
    });
  }

  private async create(ctx: ChangeContext, row: PlannedRow & { action: 'create' }, position: () => number): Promise<string> {
    const input = row.input!;
    const m = ctx.tx.create(Milestone, {
      program: ctx.program,
      title: input.title,
      description: input.description,
      owner: input.ownerId ? ctx.tx.getReference(User, input.ownerId) : null,
      startDate: input.startDate ?? null,
      dueDate: input.dueDate ?? null,
      status: input.status,
      position: input.position ?? position(),
      workstream: input.workstream ?? null,
      completedAt: input.status === 'done' ? new Date() : null,
    });
    ctx.record({ entityType: 'milestone', entityId: m.id, action: 'created', summary: `imported milestone "${m.title}"`, changes: diffFields(EMPTY_SNAPSHOT, snapshot(m), TRACKED) });
    return m.id;
  }

  private async update(ctx: ChangeContext, row: PlannedRow & { action: 'update' }): Promise<string> {
    const input = row.input!;
    const m = await ctx.tx.findOneOrFail(Milestone, { id: row.id });
    const before = snapshot(m);
    if (input.title !== undefined) m.title = input.title;
    if (input.description !== undefined) m.description = input.description;
    if (input.ownerId !== undefined) m.owner = input.ownerId ? ctx.tx.getReference(User, input.ownerId) : null;
    if (input.startDate !== undefined) m.startDate = input.startDate;
    if (input.dueDate !== undefined) m.dueDate = input.dueDate;
    if (input.position !== undefined) m.position = input.position;
    if (input.workstream !== undefined) m.workstream = input.workstream;
    if (input.status !== undefined && input.status !== m.status) {
      m.status = input.status;
      m.completedAt = input.status === 'done' ? new Date() : null;
    }
    const changes = diffFields(before, snapshot(m), TRACKED);
    if (Object.keys(changes).length) {
      ctx.record({ entityType: 'milestone', entityId: m.id, action: 'updated', summary: `imported changes to "${m.title}": ${changedFieldWords(changes)}`, changes });
    }
    return m.id;
  }
}

const result = (row: PlannedRow): ImportRowResult => ({ line: row.line, action: row.action, errors: row.errors });

