import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { mayCreatePrograms, type CreateProgramInput, type ListProgramsQuery, type Page, type UpdateProgramInput } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, toPage } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';
import { ProgramMember } from './program-member.entity';
import { Program } from './program.entity';
import { programView, type ProgramView } from './program.view';

const conflict = (message: string) => new ConflictException({ statusCode: 409, error: 'Conflict', message });

@Injectable()
export class ProgramsService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService) {}

  /** The programs the actor may read, by key. Two queries whatever the page size. */
  async list(actor: Actor, query: ListProgramsQuery): Promise<Page<ProgramView>> {
    const after = decodeCursor(query.cursor, 1);
    const where: FilterQuery<Program> = {
      ...(this.access.readableFilter(actor) ?? {}),
      ...(query.includeArchived ? {} : { archivedAt: null }),
      ...(after ? { key: { $gt: String(after[0]) } } : {}),
    };
    const rows = await this.em.find(Program, where, { populate: ['owner', 'team'], orderBy: { key: 'asc' }, limit: query.limit + 1 });
    const roles = await this.access.rolesFor(actor, rows.map((p) => p.id));
    return toPage(rows, query.limit, (p) => [p.key], (p) => programView(p, roles.get(p.id)!));
  }

  async get(actor: Actor, idOrKey: string): Promise<ProgramView> {
    const { program, role, ability } = await this.access.requireProgram(actor, idOrKey, 'read');
    return programView(program, { role, ability });
  }

  /** Whoever creates a program owns it. */
  async create(actor: Actor, input: CreateProgramInput): Promise<ProgramView> {
    if (!mayCreatePrograms(actor.orgRole)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'Your organisation role does not allow creating programs' });
    }
    if (await this.em.count(Program, { key: input.key })) throw conflict(`The key ${input.key} is already used by another program`);
    const owner = this.em.getReference(User, actor.id);
    const program = this.em.create(Program, {
      key: input.key,
      name: input.name,
      description: input.description,
      status: input.status,
      owner,
      team: input.teamId ? await this.team(input.teamId) : null,
      startDate: input.startDate ?? null,
      targetDate: input.targetDate ?? null,
    });
    this.em.create(ProgramMember, { program, user: owner, role: 'owner' });
    await this.em.flush();
    await this.em.populate(program, ['owner', 'team']);
    return programView(program, await this.roleOf(actor, program));
  }

  async update(actor: Actor, idOrKey: string, input: UpdateProgramInput): Promise<ProgramView> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'manage');
    if (program.archivedAt) throw conflict(`${program.key} is archived; restore it before changing it`);
    const startDate = input.startDate !== undefined ? input.startDate : program.startDate;
    const targetDate = input.targetDate !== undefined ? input.targetDate : program.targetDate;
    if (startDate && targetDate && targetDate < startDate) {
      throw new ValidationFailed([{ field: input.targetDate !== undefined ? 'targetDate' : 'startDate', reason: 'targetDate must not be before startDate' }]);
    }
    if (input.name !== undefined) program.name = input.name;
    if (input.description !== undefined) program.description = input.description;
    if (input.status !== undefined) program.status = input.status;
    if (input.teamId !== undefined) program.team = input.teamId ? await this.team(input.teamId) : null;
    program.startDate = startDate;
    program.targetDate = targetDate;
    if (input.ownerId !== undefined && input.ownerId !== program.owner.id) await this.transferOwnership(program, input.ownerId);
    await this.em.flush();
    await this.em.populate(program, ['owner', 'team']);
    return programView(program, await this.roleOf(actor, program));
  }

  async setArchived(actor: Actor, idOrKey: string, archived: boolean): Promise<ProgramView> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'manage');
    if (archived && !program.archivedAt) {
      program.archivedAt = new Date();
      program.status = 'archived';
    } else if (!archived && program.archivedAt) {
      program.archivedAt = null;
      program.status = 'planning';
    }
    await this.em.flush();
    return programView(program, await this.roleOf(actor, program));
  }

  /** The new owner must be an active person; they become an owner member if they were not. */
  private async transferOwnership(program: Program, ownerId: string): Promise<void> {
    const owner = await this.em.findOne(User, { id: ownerId, active: true });
    if (!owner) throw new ValidationFailed([{ field: 'ownerId', reason: 'no active person has this id' }]);
    const membership = await this.em.findOne(ProgramMember, { program, user: owner });
    if (membership) membership.role = 'owner';
    else this.em.create(ProgramMember, { program, user: owner, role: 'owner' });
    program.owner = owner;
  }

  private async team(id: string): Promise<Team> {
    const team = await this.em.findOne(Team, { id });
    if (!team) throw new ValidationFailed([{ field: 'teamId', reason: 'no team has this id' }]);
    return team;
  }

  private async roleOf(actor: Actor, program: Program) {
    return (await this.access.rolesFor(actor, [program.id])).get(program.id)!;
  }
}
