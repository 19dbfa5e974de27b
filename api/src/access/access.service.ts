import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, type EntityClass } from '@mikro-orm/postgresql';
import { programAbility, readsAllPrograms, type ProgramAbility, type ProgramRole } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { isUuid } from '../common/id.pipe';
import { Program } from '../programs/program.entity';
import { ProgramMember } from '../programs/program-member.entity';

export type ProgramNeed = keyof ProgramAbility;

/** Anything that is not a UUID and not shaped like a key names no program: no query needed. */
const PROGRAM_KEY = /^[A-Z][A-Z0-9]{1,9}$/;

/** What the plain-statement checks give: the program's id and key, and the actor's standing on it. */
export interface ProgramGrant {
  programId: string;
  key: string;
  role: ProgramRole | null;
  ability: ProgramAbility;
}

/** Children whose program `requireChildRead` can check, by their table. */
const CHILD_TABLES = { milestone: 'milestone' } as const;
export type ChildTable = keyof typeof CHILD_TABLES;

interface GrantRow {
  id: string;
  key: string;
  role: ProgramRole | null;
}

/** The program's columns in a row of `readWithGrant`. */
interface GrantColumns {
  grant_program_id: string;
  grant_key: string;
  grant_role: ProgramRole | null;
}

/**
 * A read about one program, run in the statement that checks access: `sql` is a SELECT that names
 * the program as `g.id` (its `?` take `params`), and `order` orders its rows, as the columns of `r`.
 */
export interface ProgramRead {
  sql: string;
  params: unknown[];
  order: string;
}

/** Which column names the program: an id, a key, or nothing a program could have. */
function programWhere(idOrKey: string): { id: string; key?: undefined } | { id?: undefined; key: string } | null {
  if (isUuid(idOrKey)) return { id: idOrKey };
  const key = idOrKey.toUpperCase();
  return PROGRAM_KEY.test(key) ? { key } : null;
}

const notFoundError = (message: string) => new NotFoundException({ statusCode: 404, error: 'Not Found', message });

/** The rule every check applies: unreadable or missing is a 404, readable but not allowed `need` a 403. */
function decide(key: string | null, access: { ability: ProgramAbility } | null, need: ProgramNeed, notFound = 'Program not found'): void {
  if (key === null || !access?.ability.read) throw notFoundError(notFound);
  if (!access.ability[need]) {
    throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `Your role on ${key} does not allow this` });
  }
}

function grant(actor: Actor, row: GrantRow | undefined, need: ProgramNeed, notFound: string): ProgramGrant {
  const access = row ? { role: row.role, ability: programAbility(actor.orgRole, row.role) } : null;
  decide(row?.key ?? null, access, need, notFound);
  return { programId: row!.id, key: row!.key, role: access!.role, ability: access!.ability };
}

export interface ProgramAccess {
  program: Program;
  role: ProgramRole | null;
  ability: ProgramAbility;
}

/**
 * The one place that decides who may read or change which program. Someone who may not read a
 * program is told it does not exist (404), for the program and everything under it; someone who
 * may read it but not do what they asked gets 403.
 */
@Injectable()
export class AccessService {
  constructor(private readonly em: EntityManager) {}

  /** Loads a program by id or key and checks the actor may do `need` to it. */
  async requireProgram(actor: Actor, idOrKey: string, need: ProgramNeed): Promise<ProgramAccess> {
    const where = programWhere(idOrKey);
    const program = where && (await this.em.findOne(Program, where.id ? { id: where.id } : { key: where.key }, { populate: ['owner', 'team'] }));
    const access = program ? await this.accessTo(actor, program) : null;
    decide(program?.key ?? null, access, need);
    return access!;
  }

  /**
   * `requireProgram` for a read that needs no entity, in one statement: the program, the actor's
   * membership and the read's rows together. One round trip instead of two matters here: on this
   * kind of machine each statement's socket write to PostgreSQL costs more than the work of a small
   * read. The same rules decide, with the same 404 and 403; the rows are handed back only after
   * that (a program the actor may not read is read for nothing, never shown). `read` null: the
   * check alone.
   */
  async requireProgramRead<R>(actor: Actor, idOrKey: string, need: ProgramNeed, read: ProgramRead | null): Promise<{ grant: ProgramGrant; rows: R[] }> {
    const where = programWhere(idOrKey);
    if (!where) throw notFoundError('Program not found');
    return this.readWithGrant<R>(`from program p where ${where.id ? 'p.id = ?' : 'p.key = ?'}`, [where.id ?? where.key], actor, need, 'Program not found', read);
  }

  /**
   * `requireChild` for a read that needs no entity, in one statement like `requireProgramRead`.
   * `table` is the child's table (a constant of the caller's, never input), with `id` and
   * `program_id`. The same rules and answers as `requireChild`: 404 naming the child when it is
   * missing or unreadable.
   */
  async requireChildRead<R>(actor: Actor, table: ChildTable, id: string, label: string, need: ProgramNeed, read: ProgramRead | null): Promise<{ grant: ProgramGrant; rows: R[] }> {
    if (!isUuid(id)) throw notFoundError(`${label} not found`);
    return this.readWithGrant<R>(`from ${CHILD_TABLES[table]} c join program p on p.id = c.program_id where c.id = ?`, [id], actor, need, `${label} not found`, read);
  }

  private async readWithGrant<R>(from: string, params: unknown[], actor: Actor, need: ProgramNeed, notFound: string, read: ProgramRead | null): Promise<{ grant: ProgramGrant; rows: R[] }> {
    const program = `select p.id, p.key, (select pm.role from program_member pm where pm.program_id = p.id and pm.user_id = ?) as role ${from}`;
    const rows = await this.em.getConnection().execute<(GrantColumns & { grant_read?: boolean | null })[]>(
      read
        ? `with g as (${program})
           select g.id as grant_program_id, g.key as grant_key, g.role as grant_role, r.*
           from g left join lateral (select true as grant_read, x.* from (${read.sql}) x) r on true
           order by ${read.order}`
        : `select g.id as grant_program_id, g.key as grant_key, g.role as grant_role from (${program}) g`,
      [actor.id, ...params, ...(read?.params ?? [])],
    );
    const [first] = rows;
    const decided = grant(actor, first && { id: first.grant_program_id, key: first.grant_key, role: first.grant_role }, need, notFound);
    // without rows of its own the read leaves one row of the program alone (grant_read null)
    return { grant: decided, rows: read ? (rows.filter((r) => r.grant_read) as R[]) : [] };
  }

  /**
   * The program a child resource (milestone, wave, checklist item…) belongs to, checked like the
   * program itself. A child the actor may not read — or of another program, or missing — is a 404
   * that names the child, so the answer never tells which of those it was.
   */
  async requireChild<T extends { program: Program }>(
    actor: Actor,
    entity: EntityClass<T>,
    id: string,
    label: string,
    need: ProgramNeed,
  ): Promise<ProgramAccess & { childId: string }> {
    const notFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: `${label} not found` });
    if (!isUuid(id)) throw notFound();
    const row = await this.em.findOne(entity, { id } as never, { fields: ['program'] as never });
    if (!row) throw notFound();
    try {
      return { ...(await this.requireProgram(actor, row.program.id, need)), childId: id };
    } catch (error) {
      if (error instanceof NotFoundException) throw notFound();
      throw error;
    }
  }

  /** The actor's role and ability on each of the given programs, in one query. */
  async rolesFor(actor: Actor, programIds: readonly string[]): Promise<Map<string, { role: ProgramRole | null; ability: ProgramAbility }>> {
    const memberships = programIds.length
      ? await this.em.find(ProgramMember, { user: actor.id, program: { $in: [...programIds] } })
      : [];
    const roles = new Map(memberships.map((m) => [m.program.id, m.role]));
    return new Map(
      programIds.map((id) => {
        const role = roles.get(id) ?? null;
        return [id, { role, ability: programAbility(actor.orgRole, role) }];
      }),
    );
  }

  /** A filter on Program that keeps only what the actor may read (undefined: everything). */
  readableFilter(actor: Actor): { members: { user: string } } | undefined {
    return readsAllPrograms(actor.orgRole) ? undefined : { members: { user: actor.id } };
  }

  private async accessTo(actor: Actor, program: Program): Promise<ProgramAccess> {
    const membership = await this.em.findOne(ProgramMember, { program: program.id, user: actor.id });
    const role = membership?.role ?? null;
    return { program, role, ability: programAbility(actor.orgRole, role) };
  }
}
