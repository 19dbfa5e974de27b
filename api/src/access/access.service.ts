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

/** Children whose program `requireChildProgramId` can check, by their table. */
const CHILD_TABLES = { milestone: 'milestone' } as const;
export type ChildTable = keyof typeof CHILD_TABLES;

interface GrantRow {
  id: string;
  key: string;
  role: ProgramRole | null;
}

/** Which column names the program: an id, a key, or nothing a program could have. */
function programWhere(idOrKey: string): { id: string; key?: undefined } | { id?: undefined; key: string } | null {
  if (isUuid(idOrKey)) return { id: idOrKey };
  const key = idOrKey.toUpperCase();
  return PROGRAM_KEY.test(key) ? { key } : null;
}

/** The rule every check applies: unreadable or missing is a 404, readable but not allowed `need` a 403. */
function decide(key: string | null, access: { ability: ProgramAbility } | null, need: ProgramNeed, notFound = 'Program not found'): void {
  if (key === null || !access?.ability.read) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: notFound });
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
   * `requireProgram` for a reader that needs only the program's id: the program and the actor's
   * membership in one plain statement, no entity loaded. The same rules, the same 404 and 403.
   */
  async requireProgramId(actor: Actor, idOrKey: string, need: ProgramNeed): Promise<ProgramGrant> {
    const where = programWhere(idOrKey);
    const [row] = where
      ? await this.em.getConnection().execute<GrantRow[]>(
          `select p.id, p.key, (select pm.role from program_member pm where pm.program_id = p.id and pm.user_id = ?) as role
           from program p where ${where.id ? 'p.id = ?' : 'p.key = ?'}`,
          [actor.id, where.id ?? where.key],
        )
      : [];
    return grant(actor, row, need, 'Program not found');
  }

  /**
   * `requireChild` for a reader that needs only ids: the child's program and the actor's
   * membership in one plain statement. `table` is the child's table (a constant of the caller's,
   * never input); it has `id` and `program_id`. The same rules and answers as `requireChild`.
   */
  async requireChildProgramId(actor: Actor, table: ChildTable, id: string, label: string, need: ProgramNeed): Promise<ProgramGrant & { childId: string }> {
    const [row] = isUuid(id)
      ? await this.em.getConnection().execute<GrantRow[]>(
          `select p.id, p.key, (select pm.role from program_member pm where pm.program_id = p.id and pm.user_id = ?) as role
           from ${CHILD_TABLES[table]} c join program p on p.id = c.program_id where c.id = ?`,
          [actor.id, id],
        )
      : [];
    return { ...grant(actor, row, need, `${label} not found`), childId: id };
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
