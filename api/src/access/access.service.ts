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
    const key = idOrKey.toUpperCase();
    const where = isUuid(idOrKey) ? { id: idOrKey } : PROGRAM_KEY.test(key) ? { key } : null;
    const program = where && (await this.em.findOne(Program, where, { populate: ['owner', 'team'] }));
    const access = program ? await this.accessTo(actor, program) : null;
    if (!program || !access?.ability.read) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Program not found' });
    if (!access.ability[need]) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `Your role on ${program.key} does not allow this` });
    }
    return access;
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
