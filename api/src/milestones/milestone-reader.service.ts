import { Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { todayUtc, type ChecklistState, type Page } from '@tandem/domain';
import { AccessService, type ProgramNeed } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, encodeCursor } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import { MilestoneChecklistLink } from '../rollouts/rollout.entity';
import { milestoneView, type ChecklistBlocker, type MilestoneRow, type MilestoneView } from './milestone.view';

/**
 * Each milestone with its owner, its dates in its program's latest baseline (a program's baselines
 * are history; milestones added since the latest are not in it) and its linked checklist items
 * ordered as the rollout shows them. One statement for a page or for one milestone; the caller
 * adds the WHERE and the ORDER BY.
 */
const MILESTONE_ROWS = `select m.id, m.program_id, m.title, m.description, m.owner_id, o.name as owner_name,
         m.start_date, m.due_date, m.status, m.position, m.workstream, m.completed_at, m.created_at, m.updated_at,
         bm.milestone_id is not null as in_baseline, bm.start_date::text as baseline_start_date, bm.due_date::text as baseline_due_date,
         links.item_ids, links.item_states
       from milestone m
       left join "user" o on o.id = m.owner_id
       left join lateral (
         select b.id from baseline b where b.program_id = m.program_id order by b.created_at desc, b.id limit 1
       ) latest on true
       left join baseline_milestone bm on bm.baseline_id = latest.id and bm.milestone_id = m.id
       left join lateral (
         select array_agg(ci.id::text order by ci.position, ci.id) as item_ids, array_agg(ci.state::text order by ci.position, ci.id) as item_states
         from milestone_checklist_link l join checklist_item ci on ci.id = l.item_id
         where l.milestone_id = m.id
       ) links on true`;

/** The list's order: by position, then due date (undated last), then id — the order the plan is read in. */
const LIST_ORDER = `order by m.position asc, m.due_date asc nulls last, m.id asc`;
/** The same order over the rows as AccessService's read hands them on (`r`). */
const READ_ORDER = `r.position asc, r.due_date asc nulls last, r.id asc`;

/**
 * Milestones as the api shows them, in plain SQL: a page of a program's plan, or one milestone,
 * in one statement each, access check included (no entities, no hydration). The list,
 * `GET /milestones/:id` and the answers to writes (after their transaction commits) all read
 * through here, so they cannot drift apart.
 */
@Injectable()
export class MilestoneReader {
  constructor(private readonly em: EntityManager, private readonly access: AccessService) {}

  /**
   * A page of a program's milestones after `cursor` (see `afterCursor`), in list order, checked
   * by AccessService in the same statement.
   */
  async page(actor: Actor, programIdOrKey: string, cursor: string | undefined, limit: number, today = todayUtc()): Promise<Page<MilestoneView>> {
    let after: { sql: string; params: (string | number)[] };
    try {
      after = afterCursor(decodeCursor(cursor, ['int', 'string', 'uuid']));
    } catch (error) {
      // someone who may not read the program hears that, not that the cursor is wrong
      await this.access.requireProgramRead(actor, programIdOrKey, 'read', null);
      throw error;
    }
    const { rows } = await this.access.requireProgramRead<MilestoneRow>(actor, programIdOrKey, 'read', {
      sql: `${MILESTONE_ROWS} where m.program_id = g.id ${after.sql} ${LIST_ORDER} limit ?`,
      params: [...after.params, limit + 1],
      order: READ_ORDER,
    });
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const last = shown[shown.length - 1];
    return { items: shown.map((r) => this.view(r, today)), nextCursor: more && last ? encodeCursor([last.position, last.due_date ?? '', last.id]) : null };
  }

  /** One milestone for someone who may `need` its program (404 naming it otherwise), in one statement. */
  async oneFor(actor: Actor, id: string, need: ProgramNeed, today = todayUtc()): Promise<MilestoneView> {
    const { rows } = await this.access.requireChildRead<MilestoneRow>(actor, 'milestone', id, 'Milestone', need, { sql: `${MILESTONE_ROWS} where m.id = ?`, params: [id], order: READ_ORDER });
    const [row] = rows;
    // deleted between the check and the read: not possible in one statement, but not assumed
    if (!row) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Milestone not found' });
    return this.view(row, today);
  }

  /** One milestone, or null if there is none with this id; no access check (the answer to a write that made one). */
  async one(id: string, today = todayUtc()): Promise<MilestoneView | null> {
    const [row] = await this.em.getConnection().execute<MilestoneRow[]>(`${MILESTONE_ROWS} where m.id = ?`, [id]);
    return row ? this.view(row, today) : null;
  }

  private view(row: MilestoneRow, today: string): MilestoneView {
    const platform = this.em.getPlatform();
    return milestoneView(row, today, (text) => platform.parseDate(text) as Date);
  }
}

/**
 * Rows after a cursor of [position, dueDate or '' when undated, id] in list order, as a condition
 * to AND to the WHERE (empty without a cursor).
 */
export function afterCursor(cursor: (string | number)[] | null): { sql: string; params: (string | number)[] } {
  if (!cursor) return { sql: '', params: [] };
  const position = Number(cursor[0]);
  const due = String(cursor[1]);
  const id = String(cursor[2]);
  // the parts go into typed columns: a forged cursor must be a 400, not a database error
  const day = new Date(`${due}T00:00:00Z`);
  const validDue = due === '' || (/^\d{4}-\d{2}-\d{2}$/.test(due) && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(due));
  if (position > 2 ** 31 - 1 || !validDue) throw new ValidationFailed([{ field: 'cursor', reason: 'is not a cursor this list returned' }]);
  if (!due) return { sql: 'and (m.position > ? or (m.position = ? and m.due_date is null and m.id > ?))', params: [position, position, id] };
  return {
    sql: 'and (m.position > ? or (m.position = ? and (m.due_date > ? or m.due_date is null or (m.due_date = ? and m.id > ?))))',
    params: [position, position, due, due, id],
  };
}

export interface LinkedItem extends ChecklistBlocker {
  required: boolean;
  state: ChecklistState;
}

/** The checklist items linked to each milestone, on whichever entity manager (or transaction) is given. */
export async function linkedItems(em: EntityManager, milestoneIds: readonly string[]): Promise<Map<string, LinkedItem[]>> {
  const out = new Map<string, LinkedItem[]>();
  if (!milestoneIds.length) return out;
  const links = await em.find(
    MilestoneChecklistLink,
    { milestone: { $in: [...milestoneIds] } },
    { populate: ['item'], orderBy: { item: { position: 'asc', id: 'asc' } } },
  );
  for (const link of links) {
    const list = out.get(link.milestone.id) ?? [];
    out.set(link.milestone.id, list);
    const item = link.item;
    list.push({ id: item.id, title: item.title, state: item.state, waveId: item.wave.id, required: item.required });
  }
  return out;
}
