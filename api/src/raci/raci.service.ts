import { Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, QueryOrder } from '@mikro-orm/postgresql';
import { raciViolations, readsAllPrograms } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { isUuid } from '../common/id.pipe';
import { Milestone } from '../milestones/milestone.entity';
import { User } from '../users/user.entity';
import { RaciAssignment, RaciRow } from './raci.entity';
import { cellViews, compareSubjects, domainCells, loadSubjects, type PersonRaciView, type RaciMatrixView, type RaciRowView } from './raci.view';

/** Reading the matrix: a program's, and one person's letters across the programs the caller may read. */
@Injectable()
export class RaciService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService) {}

  /**
   * Every milestone is a row (a milestone nobody was assigned to breaks the rule too), in the
   * milestones' order, then the free activities. Four queries plus two for names.
   */
  async matrix(actor: Actor, idOrKey: string): Promise<RaciMatrixView> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'read');
    const [milestones, raciRows, assignments] = await Promise.all([
      this.em.find(Milestone, { program }, {
        fields: ['id', 'title'],
        orderBy: [{ position: QueryOrder.ASC }, { dueDate: QueryOrder.ASC_NULLS_LAST }, { createdAt: QueryOrder.ASC }, { id: QueryOrder.ASC }],
      }),
      this.em.find(RaciRow, { program, removedAt: null }, { orderBy: [{ position: QueryOrder.ASC }, { createdAt: QueryOrder.ASC }, { id: QueryOrder.ASC }] }),
      this.em.find(RaciAssignment, { program, row: { removedAt: null } }),
    ]);
    const subjects = await loadSubjects(this.em, assignments);
    const byRow = new Map<string, RaciAssignment[]>();
    for (const a of assignments) byRow.set(a.row.id, [...(byRow.get(a.row.id) ?? []), a]);
    const rowOfMilestone = new Map(raciRows.filter((r) => r.milestone).map((r) => [r.milestone!.id, r]));

    const rows: RaciRowView[] = [
      ...milestones.map((m) => {
        const row = rowOfMilestone.get(m.id);
        return { id: row?.id ?? m.id, kind: 'milestone' as const, milestoneId: m.id, title: m.title, cells: cellViews(row ? byRow.get(row.id) ?? [] : [], subjects) };
      }),
      ...raciRows
        .filter((r) => !r.milestone)
        .map((r) => ({ id: r.id, kind: 'activity' as const, milestoneId: null, title: r.activity ?? '', cells: cellViews(byRow.get(r.id) ?? [], subjects) })),
    ];
    return {
      rows,
      columns: [...subjects.values()].sort(compareSubjects),
      violations: raciViolations(rows.map((r) => ({ id: r.id, cells: domainCells(r.cells) }))),
    };
  }

  /**
   * What a person is Responsible or Accountable for, directly (teams have no members in Tandem,
   * so there is no "through a team"), in the non-archived programs the caller may read: one query.
   */
  async forPerson(actor: Actor, userIdOrMe: string): Promise<PersonRaciView> {
    const userId = userIdOrMe === 'me' ? actor.id : userIdOrMe.toLowerCase();
    const notFound = new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Person not found' });
    if (!isUuid(userId) || !(await this.em.count(User, { id: userId }))) throw notFound;
    const rows = await this.em.getConnection().execute<
      { program_id: string; key: string; name: string; row_id: string; milestone_id: string | null; title: string; letter: 'R' | 'A' }[]
    >(
      `select p.id as program_id, p.key, p.name, rr.id as row_id, rr.milestone_id, coalesce(m.title, rr.activity, '') as title, a.letter
       from raci_assignment a
       join raci_row rr on rr.id = a.row_id
       join program p on p.id = a.program_id
       left join milestone m on m.id = rr.milestone_id
       where a.subject_type = 'user' and a.subject_id = ? and a.letter in ('R', 'A') and p.archived_at is null and rr.removed_at is null
         and (?::boolean or exists (select 1 from program_member pm where pm.program_id = p.id and pm.user_id = ?))
       order by p.key, rr.milestone_id is null, m.position, m.due_date nulls last, m.created_at, rr.position, rr.created_at, rr.id`,
      [userId, readsAllPrograms(actor.orgRole), actor.id],
    );
    const items: PersonRaciView['items'] = [];
    for (const r of rows) {
      let group = items[items.length - 1];
      if (group?.program.id !== r.program_id) items.push((group = { program: { id: r.program_id, key: r.key, name: r.name }, rows: [] }));
      group.rows.push({ rowId: r.row_id, kind: r.milestone_id ? 'milestone' : 'activity', milestoneId: r.milestone_id, title: r.title, letter: r.letter });
    }
    return { items };
  }
}
