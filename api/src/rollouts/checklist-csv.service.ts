import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { checklistClosedReason, type FieldError, type ImportQuery } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { ProgramChanges, type ChangeContext } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { writeCsv } from '../common/csv';
import { csvText, idsIn, importHeader, peopleByEmail, refuseImport, type ImportHeader } from '../common/csv-import';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';
import { ownerEmailsIn, planChecklistImport, readChecklistFile, type PlannedItem } from './checklist-import';
import { applyItemChanges } from './checklist.service';
import { byPosition, resolveOwners } from './rollout.query';
import { ChecklistItem, Wave } from './rollout.entity';

export const CHECKLIST_CSV_COLUMNS = ['id', 'title', 'owner', 'required', 'due_date', 'state', 'reason', 'changed_by', 'changed_at'] as const;

export interface CsvFile {
  filename: string;
  body: string;
}

export interface ChecklistImportRow {
  line: number;
  action: PlannedItem['action'];
  errors: FieldError[];
  /** the item written or left as it was (real runs only) */
  id?: string;
}

export interface ChecklistImportResult extends ImportHeader {
  dryRun: boolean;
  valid: boolean;
  rows: ChecklistImportRow[];
}

/**
 * A wave's checklist out to a spreadsheet and back in. The owner is written as the import reads
 * it: a team's name or a person's email.
 */
@Injectable()
export class ChecklistCsvService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly changes: ProgramChanges) {}

  /** With a byte-order mark so Excel reads names with accents as UTF-8. */
  async export(actor: Actor, waveId: string): Promise<CsvFile> {
    const { program } = await this.access.requireChild(actor, Wave, waveId, 'Wave', 'read');
    const [wave, items] = await Promise.all([
      this.em.findOneOrFail(Wave, { id: waveId }, { fields: ['name'] }),
      this.em.find(ChecklistItem, { wave: waveId }, { populate: ['ownerTeam', 'ownerUser', 'changedBy'], orderBy: byPosition() }),
    ]);
    const rows = items.map((i) => [
      i.id,
      i.title,
      i.ownerTeam?.name ?? i.ownerUser?.email ?? '',
      i.required ? 'yes' : 'no',
      i.dueDate,
      i.state,
      i.reason,
      i.changedBy?.name ?? '',
      i.changedAt?.toISOString() ?? '',
    ]);
    return { filename: `${program.key}-${wave.name}-checklist.csv`, body: writeCsv([[...CHECKLIST_CSV_COLUMNS], ...rows], { bom: true }) };
  }

  /**
   * Rows whose id is an item of this wave update it; the others add items to this wave (unless it
   * is live: then each such row is an error). A dry run
   * only reports; a real run writes every row in one transaction or, with any row error, nothing
   * (400 with the same rows). A row that changes nothing is not written.
   */
  async import(actor: Actor, waveId: string, body: unknown, query: ImportQuery): Promise<ChecklistImportResult> {
    if (query.dryRun) {
      await this.access.requireChild(actor, Wave, waveId, 'Wave', 'write');
      const wave = await this.em.findOneOrFail(Wave, { id: waveId }, { fields: ['name', 'status'] });
      const file = readChecklistFile(csvText(body));
      const rows = await this.plan(this.em, wave, file);
      return { dryRun: true, valid: rows.every((r) => !r.errors.length), ...importHeader(file), rows: rows.map(result) };
    }
    return this.changes.applyToChild(actor, Wave, waveId, 'Wave', 'write', async (ctx, wave) => {
      const file = readChecklistFile(csvText(body));
      const rows = await this.plan(ctx.tx, wave, file);
      if (rows.some((r) => r.errors.length)) refuseImport(file, rows.map(result));
      const [last] = await ctx.tx.find(ChecklistItem, { wave }, { fields: ['position'], orderBy: { position: 'desc' }, limit: 1 });
      let position = last ? last.position + 1 : 0;
      const written: ChecklistImportRow[] = [];
      for (const row of rows) {
        const id = row.action === 'create' ? await this.create(ctx, wave, row, () => position++) : row.action === 'update' ? await this.update(ctx, row) : row.id;
        written.push({ ...result(row), id });
      }
      return { dryRun: false, valid: true, ...importHeader(file), rows: written };
    });
  }

  /**
   * Reads what the rows refer to in three queries, then decides every row. A live wave takes no
   * new rows (each is a row error); the real run decides on the wave read inside its transaction.
   */
  private async plan(em: EntityManager, wave: Pick<Wave, 'id' | 'name' | 'status'>, file: ReturnType<typeof readChecklistFile>): Promise<PlannedItem[]> {
    const ids = idsIn(file);
    const emails = ownerEmailsIn(file);
    // One after another: inside the import's transaction every query shares one connection.
    const items = ids.length ? await em.find(ChecklistItem, { wave: wave.id, id: { $in: ids } }) : [];
    const teams = await em.find(Team, {});
    const people = await peopleByEmail(em, emails);
    return planChecklistImport(file, {
      items: new Map(
        items.map((i) => [
          i.id,
          { id: i.id, title: i.title, ownerTeamId: i.ownerTeam?.id ?? null, ownerUserId: i.ownerUser?.id ?? null, required: i.required, dueDate: i.dueDate, state: i.state, reason: i.reason },
        ]),
      ),
      teams: new Map(teams.map((t) => [t.name.toLowerCase(), t.id])),
      people,
      closed: checklistClosedReason(wave),
    });
  }

  private async create(ctx: ChangeContext, wave: Wave, row: PlannedItem & { action: 'create' }, position: () => number): Promise<string> {
    const input = row.input!;
    const state = input.state ?? 'todo';
    const item = ctx.tx.create(ChecklistItem, {
      wave,
      program: ctx.program,
      title: input.title,
      ...(await resolveOwners(ctx.tx, input)),
      required: input.required,
      dueDate: input.dueDate ?? null,
      position: input.position ?? position(),
      state,
      reason: input.reason ?? null,
      changedBy: state === 'todo' ? null : ctx.tx.getReference(User, ctx.actor.id),
      changedAt: state === 'todo' ? null : new Date(),
    });
    ctx.record({ entityType: 'checklist_item', entityId: item.id, action: 'created', summary: `imported "${item.title}" into the checklist of "${wave.name}"` });
    return item.id;
  }

  private async update(ctx: ChangeContext, row: PlannedItem & { action: 'update' }): Promise<string> {
    const item = await ctx.tx.findOneOrFail(ChecklistItem, { id: row.id }, { populate: ['ownerTeam', 'ownerUser', 'changedBy', 'wave'] });
    const entry = await applyItemChanges(ctx.tx, item, row.input!, ctx.actor);
    if (entry) ctx.record({ ...entry, summary: `imported: ${entry.summary}` });
    return item.id;
  }
}

const result = (row: PlannedItem): ChecklistImportRow => ({ line: row.line, action: row.action, errors: row.errors });

