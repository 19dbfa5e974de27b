import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  computedHealth,
  programSignals,
  raciGaps,
  raciViolations,
  todayUtc,
  type ChecklistState,
  type DatedChecklistItem,
  type ComputedHealth,
  type MilestoneStatus,
  type ProgramSignals,
  type RaciCell,
  type RaciViolation,
  type WaveStatus,
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
 * (four, whatever the count): the portfolio, the status report and the program page all use it,
 * and the rules themselves are `@tandem/domain`'s.
 */
@Injectable()
export class SignalsService {
  constructor(private readonly em: EntityManager) {}

  async forPrograms(programIds: readonly string[], today = todayUtc()): Promise<Map<string, ProgramHealthSignals>> {
    const out = new Map<string, ProgramHealthSignals>();
    if (!programIds.length) return out;
    const [milestones, waves, gaps, updates] = await Promise.all([
      this.milestones(programIds),
      this.waves(programIds, today),
      this.raciGaps(programIds),
      this.lastUpdates(programIds),
    ]);
    for (const id of programIds) {
      const signals = programSignals({
        today,
        milestones: milestones.get(id) ?? [],
        waves: waves.get(id) ?? [],
        raciViolations: raciGaps(gaps.get(id) ?? []).length,
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
    // One row per RACI row, its cells packed as "<letter><subject>,…": a third of the rows a
    // row-per-cell join returns for a whole organisation. Rows and cells carry their program, so
    // each table is read through its program index, not scanned whole.
    const rows = await this.em.getConnection().execute<{ program_id: string; row_key: string; cells: string | null }[]>(
      `with rows as (
         select m.program_id, m.id as row_key, rr.id as row_id
         from milestone m left join raci_row rr on rr.milestone_id = m.id and rr.program_id = any(?::uuid[])
         where m.program_id = any(?::uuid[])
         union all
         select rr.program_id, rr.id as row_key, rr.id as row_id
         from raci_row rr where rr.milestone_id is null and rr.removed_at is null and rr.program_id = any(?::uuid[])
       )
       select r.program_id, r.row_key, string_agg(a.letter || a.subject_type || ':' || a.subject_id, ',') as cells
       from rows r left join raci_assignment a on a.row_id = r.row_id and a.program_id = any(?::uuid[])
       group by r.program_id, r.row_key`,
      [uuidArray(programIds), uuidArray(programIds), uuidArray(programIds), uuidArray(programIds)],
    );
    const byProgram = new Map<string, { id: string; cells: RaciCell[] }[]>();
    for (const r of rows) {
      const cells = (r.cells ? r.cells.split(',') : []).map((c) => ({ letter: c[0] as RaciCell['letter'], subject: c.slice(1) }));
      const programRows = byProgram.get(r.program_id) ?? [];
      byProgram.set(r.program_id, programRows);
      programRows.push({ id: r.row_key, cells });
    }
    return new Map([...byProgram].map(([programId, programRows]) => [programId, raciViolations(programRows)]));
  }

  /** Each milestone's status and due date beside its due date in the latest baseline, in one pass. */
  private async milestones(programIds: readonly string[]) {
    const rows = await this.em.getConnection().execute<{ program_id: string; status: MilestoneStatus; due_date: string | null; baseline_due_date: string | null }[]>(
      `with latest as (
         select distinct on (program_id) program_id, id from baseline where program_id = any(?::uuid[]) order by program_id, created_at desc, id
       )
       select m.program_id, m.status, m.due_date::text as due_date, bm.due_date::text as baseline_due_date
       from milestone m
       left join latest l on l.program_id = m.program_id
       left join baseline_milestone bm on bm.baseline_id = l.id and bm.milestone_id = m.id
       where m.program_id = any(?::uuid[])`,
      [uuidArray(programIds), uuidArray(programIds)],
    );
    return groupBy(rows, (r) => r.program_id, (r) => ({ status: r.status, dueDate: r.due_date, baselineDueDate: r.baseline_due_date }));
  }

  /**
   * Waves (status and planned go-live with them) and their items, counted in SQL: a few rows a
   * wave instead of one per item. Items are grouped by what the rules read of them — state,
   * required, and whether the due date is before today — with the earliest due date of the group
   * standing for all of them: every item of a group is on the same side of today, so
   * `completion` and `isOverdueChecklistItem` (the rules) answer for each what they would for it.
   */
  private async waves(programIds: readonly string[], today: string) {
    const rows = await this.em.getConnection().execute<
      { id: string; program_id: string; name: string; status: WaveStatus; planned_go_live: string | null; state: ChecklistState | null; required: boolean | null; due_date: string | null; items: number }[]
    >(
      `select w.id, w.program_id, w.name, w.status, w.planned_go_live::text as planned_go_live, c.state, c.required, c.due_date, coalesce(c.items, 0)::int as items
       from wave w
       left join (
         select wave_id, state, required, min(due_date)::text as due_date, count(*) as items
         from checklist_item where program_id = any(?::uuid[])
         group by wave_id, state, required, (due_date < ?::date)
       ) c on c.wave_id = w.id
       where w.program_id = any(?::uuid[])
       order by w.program_id, w.position, w.created_at, w.id`,
      [uuidArray(programIds), today, uuidArray(programIds)],
    );
    const out = new Map<string, { id: string; name: string; status: WaveStatus; plannedGoLive: string | null; items: DatedChecklistItem[] }[]>();
    for (const r of rows) {
      const waves = out.get(r.program_id) ?? [];
      out.set(r.program_id, waves);
      let wave = waves[waves.length - 1];
      if (wave?.id !== r.id) waves.push((wave = { id: r.id, name: r.name, status: r.status, plannedGoLive: r.planned_go_live, items: [] }));
      const item = r.state ? { state: r.state, required: r.required === true, dueDate: r.due_date } : null;
      for (let i = 0; item && i < r.items; i++) wave.items.push(item);
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
