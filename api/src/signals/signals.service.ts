import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  computedHealth,
  programSignals,
  raciViolations,
  todayUtc,
  type ChecklistState,
  type ComputedHealth,
  type MilestoneStatus,
  type ProgramSignals,
  type RaciCell,
  type RaciViolation,
} from '@tandem/domain';

export interface BaselineDates {
  startDate: string | null;
  dueDate: string | null;
}

export interface ProgramHealthSignals {
  signals: ProgramSignals;
  computed: ComputedHealth;
}

/** A pg array literal for `= any(?::uuid[])`: one bound parameter whatever the number of ids. */
export const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/**
 * The numbers behind a program's health, for any number of programs in a fixed number of queries
 * (five, whatever the count): the portfolio, the status report and the program page all use it,
 * and the rules themselves are `@tandem/domain`'s.
 */
@Injectable()
export class SignalsService {
  constructor(private readonly em: EntityManager) {}

  async forPrograms(programIds: readonly string[], today = todayUtc()): Promise<Map<string, ProgramHealthSignals>> {
    const out = new Map<string, ProgramHealthSignals>();
    if (!programIds.length) return out;
    const [milestones, baselines, waves, gaps, updates] = await Promise.all([
      this.milestones(programIds),
      this.latestBaselineDates(programIds),
      this.waves(programIds),
      this.raciGaps(programIds),
      this.lastUpdates(programIds),
    ]);
    for (const id of programIds) {
      const signals = programSignals({
        today,
        milestones: (milestones.get(id) ?? []).map((m) => ({ ...m, baselineDueDate: baselines.get(m.id)?.dueDate ?? null })),
        waves: waves.get(id) ?? [],
        raciViolations: new Set((gaps.get(id) ?? []).map((v) => v.rowId)).size,
        lastUpdateDate: updates.get(id) ?? null,
      });
      out.set(id, { signals, computed: computedHealth(signals) });
    }
    return out;
  }

  /** Each milestone's dates in its program's latest baseline (milestones added since are absent). */
  async latestBaselineDates(programIds: readonly string[]): Promise<Map<string, BaselineDates>> {
    const rows = await this.em.getConnection().execute<{ milestone_id: string; start_date: string | null; due_date: string | null }[]>(
      `with latest as (
         select distinct on (program_id) id from baseline where program_id = any(?::uuid[]) order by program_id, created_at desc, id
       )
       select bm.milestone_id, bm.start_date::text as start_date, bm.due_date::text as due_date
       from baseline_milestone bm join latest l on l.id = bm.baseline_id`,
      [uuidArray(programIds)],
    );
    return new Map(rows.map((r) => [r.milestone_id, { startDate: r.start_date, dueDate: r.due_date }]));
  }

  /**
   * RACI rule violations per program. Rows are every milestone (a milestone nobody has been
   * assigned to breaks the rule too) plus the free-standing activities.
   */
  async raciGaps(programIds: readonly string[]): Promise<Map<string, RaciViolation[]>> {
    const rows = await this.em.getConnection().execute<{ program_id: string; row_key: string; subject: string | null; letter: RaciCell['letter'] | null }[]>(
      `with rows as (
         select m.program_id, m.id as row_key, rr.id as row_id
         from milestone m left join raci_row rr on rr.milestone_id = m.id
         where m.program_id = any(?::uuid[])
         union all
         select rr.program_id, rr.id as row_key, rr.id as row_id
         from raci_row rr where rr.milestone_id is null and rr.program_id = any(?::uuid[])
       )
       select r.program_id, r.row_key, a.subject_type || ':' || a.subject_id as subject, a.letter
       from rows r left join raci_assignment a on a.row_id = r.row_id`,
      [uuidArray(programIds), uuidArray(programIds)],
    );
    const byProgram = new Map<string, Map<string, RaciCell[]>>();
    for (const r of rows) {
      const programRows = byProgram.get(r.program_id) ?? new Map<string, RaciCell[]>();
      byProgram.set(r.program_id, programRows);
      const cells = programRows.get(r.row_key) ?? [];
      programRows.set(r.row_key, cells);
      if (r.subject && r.letter) cells.push({ subject: r.subject, letter: r.letter });
    }
    return new Map([...byProgram].map(([programId, programRows]) => [programId, raciViolations([...programRows].map(([id, cells]) => ({ id, cells })))]));
  }

  private async milestones(programIds: readonly string[]) {
    const rows = await this.em.getConnection().execute<{ id: string; program_id: string; status: MilestoneStatus; due_date: string | null }[]>(
      `select id, program_id, status, due_date::text as due_date from milestone where program_id = any(?::uuid[])`,
      [uuidArray(programIds)],
    );
    return groupBy(rows, (r) => r.program_id, (r) => ({ id: r.id, status: r.status, dueDate: r.due_date }));
  }

  private async waves(programIds: readonly string[]) {
    const rows = await this.em.getConnection().execute<{ id: string; program_id: string; name: string; state: ChecklistState | null }[]>(
      `select w.id, w.program_id, w.name, ci.state
       from wave w left join checklist_item ci on ci.wave_id = w.id
       where w.program_id = any(?::uuid[])
       order by w.program_id, w.position, w.created_at, w.id`,
      [uuidArray(programIds)],
    );
    const out = new Map<string, { id: string; name: string; items: { state: ChecklistState }[] }[]>();
    for (const r of rows) {
      const waves = out.get(r.program_id) ?? [];
      out.set(r.program_id, waves);
      let wave = waves.find((w) => w.id === r.id);
      if (!wave) waves.push((wave = { id: r.id, name: r.name, items: [] }));
      if (r.state) wave.items.push({ state: r.state });
    }
    return out;
  }

  private async lastUpdates(programIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.em.getConnection().execute<{ program_id: string; day: string }[]>(
      `select program_id, (max(created_at) at time zone 'UTC')::date::text as day from status_update where program_id = any(?::uuid[]) group by program_id`,
      [uuidArray(programIds)],
    );
    return new Map(rows.map((r) => [r.program_id, r.day]));
  }
}

function groupBy<R, V>(rows: readonly R[], key: (r: R) => string, value: (r: R) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const r of rows) {
    const list = out.get(key(r));
    if (list) list.push(value(r));
    else out.set(key(r), [value(r)]);
  }
  return out;
}
