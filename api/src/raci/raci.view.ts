import type { EntityManager } from '@mikro-orm/postgresql';
import { raciRowViolations, type RaciCell, type RaciLetter, type RaciViolation } from '@tandem/domain';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';
import type { RaciAssignment, RaciSubjectType } from './raci.entity';

export interface RaciSubjectView {
  type: RaciSubjectType;
  id: string;
  name: string;
}

export interface RaciCellView {
  subject: RaciSubjectView;
  letter: RaciLetter;
}

export interface RaciRowView {
  /** the raci_row id, or the milestone id while nobody has been assigned to that milestone yet */
  id: string;
  kind: 'milestone' | 'activity';
  milestoneId: string | null;
  title: string;
  cells: RaciCellView[];
}

export interface RaciMatrixView {
  rows: RaciRowView[];
  /** every person and team that holds a letter somewhere in the matrix: people first, by name */
  columns: RaciSubjectView[];
  violations: RaciViolation[];
}

export interface RaciRowChangeView extends RaciRowView {
  violations: RaciViolation[];
}

export interface PersonRaciView {
  items: {
    program: { id: string; key: string; name: string };
    rows: { rowId: string; kind: 'milestone' | 'activity'; milestoneId: string | null; title: string; letter: 'R' | 'A' }[];
  }[];
}

/** The rule's own notation for a subject (`user:<id>`), as `@tandem/domain` compares cells. */
export const subjectKey = (type: RaciSubjectType, id: string): string => `${type}:${id}`;

export function parseSubjectKey(key: string): { type: RaciSubjectType; id: string } {
  const [type, id] = key.split(':') as [RaciSubjectType, string];
  return { type, id };
}

type Subjects = Map<string, RaciSubjectView>;

/**
 * Names of the people and teams holding letters, in two queries whatever their number. A team
 * deleted since it was assigned keeps its cell (the id is not a foreign key) under a plain label.
 */
export async function loadSubjects(em: EntityManager, assignments: readonly Pick<RaciAssignment, 'subjectType' | 'subjectId'>[]): Promise<Subjects> {
  const userIds = [...new Set(assignments.filter((a) => a.subjectType === 'user').map((a) => a.subjectId))];
  const teamIds = [...new Set(assignments.filter((a) => a.subjectType === 'team').map((a) => a.subjectId))];
  // One after another: a cell write calls this inside its transaction, where queries share one connection.
  const users = userIds.length ? await em.find(User, { id: { $in: userIds } }, { fields: ['id', 'name'] }) : [];
  const teams = teamIds.length ? await em.find(Team, { id: { $in: teamIds } }, { fields: ['id', 'name'] }) : [];
  const subjects: Subjects = new Map();
  const names = new Map<string, string>([...users.map((u) => [subjectKey('user', u.id), u.name] as const), ...teams.map((t) => [subjectKey('team', t.id), t.name] as const)]);
  for (const a of assignments) {
    const key = subjectKey(a.subjectType, a.subjectId);
    subjects.set(key, { type: a.subjectType, id: a.subjectId, name: names.get(key) ?? (a.subjectType === 'team' ? 'Removed team' : 'Removed person') });
  }
  return subjects;
}

/** People before teams, each by name, so a row's cells and the columns read in the same order. */
export function compareSubjects(a: RaciSubjectView, b: RaciSubjectView): number {
  if (a.type !== b.type) return a.type === 'user' ? -1 : 1;
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

export function cellViews(assignments: readonly Pick<RaciAssignment, 'subjectType' | 'subjectId' | 'letter'>[], subjects: Subjects): RaciCellView[] {
  return assignments
    .map((a) => ({ subject: subjects.get(subjectKey(a.subjectType, a.subjectId))!, letter: a.letter }))
    .sort((x, y) => compareSubjects(x.subject, y.subject));
}

export const domainCells = (cells: readonly RaciCellView[]): RaciCell[] => cells.map((c) => ({ subject: subjectKey(c.subject.type, c.subject.id), letter: c.letter }));

export function rowChangeView(row: RaciRowView): RaciRowChangeView {
  return { ...row, violations: raciRowViolations(row.id, domainCells(row.cells)) };
}
