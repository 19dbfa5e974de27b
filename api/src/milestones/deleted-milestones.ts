import type { EntityManager } from '@mikro-orm/postgresql';
import { findCycle, type DependencyEdge } from '@tandem/domain';

/**
 * The rows a milestone's delete takes with it, by cascade (see the planning migration): each is
 * kept as `to_jsonb` of the row, so a column added later is kept and put back too.
 */
const CASCADED = {
  raciRows: `select to_jsonb(r) from raci_row r where r.milestone_id = m.id`,
  raciAssignments: `select to_jsonb(a) from raci_assignment a join raci_row r on r.id = a.row_id where r.milestone_id = m.id`,
  dependencies: `select to_jsonb(d) from milestone_dependency d where d.predecessor_id = m.id or d.successor_id = m.id`,
  baselines: `select to_jsonb(b) from baseline_milestone b where b.milestone_id = m.id`,
  checklistLinks: `select to_jsonb(l) from milestone_checklist_link l where l.milestone_id = m.id`,
} as const;

/**
 * Keeps the milestone and everything its delete is about to take, in the delete's transaction
 * (before the delete itself is flushed). A restore deletes this row in the transaction that puts
 * the milestone back, so a milestone that exists never has one.
 */
export async function keepDeleted(tx: EntityManager, milestoneId: string, actorId: string): Promise<void> {
  const parts = Object.entries(CASCADED).map(([key, sql]) => `'${key}', coalesce((select jsonb_agg(x) from (${sql}) t(x)), '[]'::jsonb)`);
  await tx.execute(
    `insert into deleted_milestone (id, program_id, title, deleted_by_id, deleted_at, rows)
     select m.id, m.program_id, m.title, ?, now(), jsonb_build_object('milestone', to_jsonb(m), ${parts.join(', ')})
     from milestone m where m.id = ?`,
    [actorId, milestoneId],
  );
}

interface KeptEdge {
  predecessor_id: string;
  successor_id: string;
  created_at: string;
}

/**
 * Puts a deleted milestone back with the same id, and with what went with it wherever the other
 * end is still there: its RACI row and the letters of people and teams that still exist, its
 * baseline dates, its links to checklist items that still exist, and its dependencies on
 * milestones that still exist unless one would now close a loop. Returns what was left out, one
 * sentence each. Runs inside the program's change (its row locked), so the program's milestones
 * and dependencies cannot move under it.
 */
export async function putBack(tx: EntityManager, deletedId: string): Promise<string[]> {
  const [kept] = await tx.execute<{ rows: { milestone: { title: string; owner_id: string | null }; dependencies: KeptEdge[]; checklistLinks: unknown[]; raciAssignments: unknown[] } }[]>(
    'select rows from deleted_milestone where id = ? for update',
    [deletedId],
  );
  if (!kept) return [];
  const leftOut: string[] = [];
  const title = kept.rows.milestone.title;
  // The owner comes back as it was (a person deactivated since included): it is the milestone's own.
  await tx.execute(
    `insert into milestone select r.* from deleted_milestone d,
       jsonb_populate_record(null::milestone, d.rows->'milestone' || jsonb_build_object('updated_at', now(),
         'owner_id', (select u.id from "user" u where u.id = (d.rows->'milestone'->>'owner_id')::uuid))) r
     where d.id = ?`,
    [deletedId],
  );
  await tx.execute(`insert into raci_row select r.* from deleted_milestone d, jsonb_populate_recordset(null::raci_row, d.rows->'raciRows') r where d.id = ?`, [deletedId]);
  const [letters] = await tx.execute<{ back: number }[]>(
    `with back as (
       insert into raci_assignment select r.* from deleted_milestone d, jsonb_populate_recordset(null::raci_assignment, d.rows->'raciAssignments') r
       where d.id = ? and case r.subject_type when 'user' then exists (select 1 from "user" u where u.id = r.subject_id)
                                              else exists (select 1 from team t where t.id = r.subject_id) end
       returning 1)
     select (select count(*) from back)::int as back`,
    [deletedId],
  );
  const lostLetters = kept.rows.raciAssignments.length - (letters?.back ?? 0);
  if (lostLetters > 0) leftOut.push(`${lostLetters} RACI letter${lostLetters === 1 ? '' : 's'} of a person or team removed since`);
  await tx.execute(
    `insert into baseline_milestone select r.* from deleted_milestone d, jsonb_populate_recordset(null::baseline_milestone, d.rows->'baselines') r
     where d.id = ? and exists (select 1 from baseline b where b.id = r.baseline_id)`,
    [deletedId],
  );
  const [links] = await tx.execute<{ back: number }[]>(
    `with back as (
       insert into milestone_checklist_link select r.* from deleted_milestone d, jsonb_populate_recordset(null::milestone_checklist_link, d.rows->'checklistLinks') r
       where d.id = ? and exists (select 1 from checklist_item i where i.id = r.item_id)
       returning 1)
     select (select count(*) from back)::int as back`,
    [deletedId],
  );
  const lostLinks = kept.rows.checklistLinks.length - (links?.back ?? 0);
  if (lostLinks > 0) leftOut.push(`${lostLinks} link${lostLinks === 1 ? '' : 's'} to a checklist item deleted since`);
  leftOut.push(...(await putBackDependencies(tx, deletedId, title, kept.rows.dependencies)));
  await tx.execute('delete from deleted_milestone where id = ?', [deletedId]);
  return leftOut;
}

async function putBackDependencies(tx: EntityManager, deletedId: string, title: string, kept: readonly KeptEdge[]): Promise<string[]> {
  if (!kept.length) return [];
  const milestones = await tx.execute<{ id: string; title: string }[]>(
    'select id, title from milestone where program_id = (select program_id from milestone where id = ?)',
    [deletedId],
  );
  const titles = new Map(milestones.map((m) => [m.id, m.title]));
  const edges: DependencyEdge[] = (
    await tx.execute<KeptEdge[]>('select predecessor_id, successor_id from milestone_dependency where program_id = (select program_id from milestone where id = ?)', [deletedId])
  ).map((e) => ({ predecessorId: e.predecessor_id, successorId: e.successor_id }));
  const back: KeptEdge[] = [];
  const leftOut: string[] = [];
  // Oldest first: when two would close a loop together, the one that was there first comes back.
  for (const e of [...kept].sort((x, y) => x.created_at.localeCompare(y.created_at))) {
    const other = e.predecessor_id === deletedId ? e.successor_id : e.predecessor_id;
    const edge = { predecessorId: e.predecessor_id, successorId: e.successor_id };
    const sentence = other === e.predecessor_id ? `"${title}" waiting for "${titles.get(other) ?? ''}"` : `"${titles.get(other) ?? ''}" waiting for "${title}"`;
    if (!titles.has(other)) {
      leftOut.push(`a dependency on a milestone deleted since`);
      continue;
    }
    const cycle = findCycle(edges, edge);
    if (cycle) {
      leftOut.push(`${sentence}: it would now close a loop (${cycle.map((id) => titles.get(id) ?? id).join(' → ')})`);
      continue;
    }
    edges.push(edge);
    back.push(e);
  }
  // The rows as they were (their created_at included), less those left out.
  if (back.length) await tx.execute(`insert into milestone_dependency select r.* from jsonb_populate_recordset(null::milestone_dependency, ?::jsonb) r`, [JSON.stringify(back)]);
  return leftOut;
}
