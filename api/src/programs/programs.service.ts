import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { mayCreatePrograms, PROGRAM_STATUSES, type CreateProgramInput, type ProgramStatus, type ListProgramsQuery, type Page, type UpdateProgramInput } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { Activity } from '../activity/activity.entity';
import { changedFieldWords, diffFields } from '../activity/changes';
import { ProgramChanges } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, toPage } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import { AccessChanges } from '../live/access-changes';
import { LiveEvents } from '../live/live.events';
import { ALL_PROGRAMS_ROOM, portfolioRoom, userRoom } from '../live/live.protocol';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';
import { ProgramMember } from './program-member.entity';
import { Program } from './program.entity';
import { programView, type ProgramView } from './program.view';

const conflict = (message: string) => new ConflictException({ statusCode: 409, error: 'Conflict', message });
const TRACKED = ['name', 'description', 'status', 'team', 'startDate', 'targetDate', 'owner'] as const;

@Injectable()
export class ProgramsService {
  constructor(
    private readonly em: EntityManager,
    private readonly access: AccessService,
    private readonly changes: ProgramChanges,
    private readonly live: LiveEvents,
    private readonly accessChanges: AccessChanges,
  ) {}

  /** The programs the actor may read, by key. Two queries whatever the page size. */
  async list(actor: Actor, query: ListProgramsQuery): Promise<Page<ProgramView>> {
    const after = decodeCursor(query.cursor, ['string']);
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

  /** Whoever creates a program owns it. `setup` adds more to the new program in the same transaction. */
  async create(actor: Actor, input: CreateProgramInput, setup?: (tx: EntityManager, program: Program) => Promise<void>): Promise<ProgramView> {
    if (!mayCreatePrograms(actor.orgRole)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'Your organisation role does not allow creating programs' });
    }
    if (await this.em.count(Program, { key: input.key })) throw conflict(`The key ${input.key} is already used by another program`);
    const team = input.teamId ? await this.team(input.teamId) : null;
    const program = await this.em.transactional(async (tx) => {
      const owner = tx.getReference(User, actor.id);
      const created = tx.create(Program, {
        key: input.key,
        name: input.name,
        description: input.description,
        status: input.status,
        owner,
        team,
        startDate: input.startDate ?? null,
        targetDate: input.targetDate ?? null,
      });
      tx.create(ProgramMember, { program: created, user: owner, role: 'owner' });
      tx.create(Activity, { program: created, actor: owner, entityType: 'program', entityId: created.id, action: 'created', summary: `created ${created.key} — ${created.name}` });
      if (setup) await setup(tx, created);
      return created;
    });
    await this.em.populate(program, ['owner', 'team']);
    // Open portfolios that may read it follow it from now on, then hear that it exists.
    this.live.followProgram(program.id, [ALL_PROGRAMS_ROOM, portfolioRoom(actor.id)]);
    this.live.publish(
      { programId: program.id, entityType: 'program', entityId: program.id, action: 'created', actorId: actor.id, at: program.createdAt.toISOString() },
      [ALL_PROGRAMS_ROOM, userRoom(actor.id)],
    );
    return programView(program, await this.roleOf(actor, program));
  }

  async update(actor: Actor, idOrKey: string, input: UpdateProgramInput): Promise<ProgramView> {
    let newOwner: string | null = null;
    const program = await this.changes.apply(actor, idOrKey, 'manage', async ({ program, tx, record }) => {
      const startDate = input.startDate !== undefined ? input.startDate : program.startDate;
      const targetDate = input.targetDate !== undefined ? input.targetDate : program.targetDate;
      if (startDate && targetDate && targetDate < startDate) {
        throw new ValidationFailed([{ field: input.targetDate !== undefined ? 'targetDate' : 'startDate', reason: 'targetDate must not be before startDate' }]);
      }
      const before = { ...program };
      if (input.name !== undefined) program.name = input.name;
      if (input.description !== undefined) program.description = input.description;
      if (input.status !== undefined) program.status = input.status;
      if (input.teamId !== undefined) program.team = input.teamId ? await this.team(input.teamId, tx) : null;
      program.startDate = startDate;
      program.targetDate = targetDate;
      if (input.ownerId !== undefined && input.ownerId !== program.owner.id) {
        await this.transferOwnership(tx, program, input.ownerId);
        newOwner = program.owner.id;
      }
      const changes = diffFields(before, { ...program }, TRACKED);
      // The new owner's open pages hear about it, as when someone is added (their portfolio may gain a program).
      if (Object.keys(changes).length) record({ entityType: 'program', entityId: program.id, action: 'updated', summary: `updated ${changedFieldWords(changes)}`, changes, notify: newOwner ? [userRoom(newOwner)] : [] });
      return program;
    });
    // Becoming the owner is a role change: their open documents become writable at once, as a role change through members does.
    if (newOwner) {
      this.accessChanges.notify({ userId: newOwner, programId: program.id });
      this.live.followProgram(program.id, [portfolioRoom(newOwner)]);
    }
    await this.em.populate(program, ['owner', 'team']);
    return programView(program, await this.roleOf(actor, program));
  }

  async setArchived(actor: Actor, idOrKey: string, archived: boolean): Promise<ProgramView> {
    let changed = false;
    const program = await this.changes.apply(actor, idOrKey, 'manage', async ({ program, tx, record }) => {
      if (archived === Boolean(program.archivedAt)) return program;
      changed = true;
      const before = program.status;
      program.archivedAt = archived ? new Date() : null;
      program.status = archived ? 'archived' : await this.statusBeforeArchiving(tx, program);
      record({
        entityType: 'program',
        entityId: program.id,
        action: archived ? 'archived' : 'restored',
        summary: archived ? 'archived the program' : 'restored the program',
        changes: { status: { before, after: program.status } },
      });
      return program;
    }, { whileArchived: true });
    // Its open documents become read-only (or writable again) at once.
    if (changed) this.accessChanges.notify({ userId: null, programId: program.id, docId: null });
    return programView(program, await this.roleOf(actor, program));
  }

  /** Restoring brings back the status the program had; the archive's activity row remembers it. */
  private async statusBeforeArchiving(tx: EntityManager, program: Program): Promise<ProgramStatus> {
    const archived = await tx.findOne(Activity, { program, entityType: 'program', action: 'archived' }, { orderBy: { id: 'desc' } });
    const before = archived?.changes.status?.before;
    return PROGRAM_STATUSES.includes(before as ProgramStatus) && before !== 'archived' ? (before as ProgramStatus) : 'planning';
  }

  /** The new owner must be an active person; they become an owner member if they were not. */
  private async transferOwnership(tx: EntityManager, program: Program, ownerId: string): Promise<void> {
    const owner = await tx.findOne(User, { id: ownerId, active: true });
    if (!owner) throw new ValidationFailed([{ field: 'ownerId', reason: 'no active person has this id' }]);
    const membership = await tx.findOne(ProgramMember, { program, user: owner });
    if (membership) membership.role = 'owner';
    else tx.create(ProgramMember, { program, user: owner, role: 'owner' });
    program.owner = owner;
  }

  private async team(id: string, em: EntityManager = this.em): Promise<Team> {
    const team = await em.findOne(Team, { id });
    if (!team) throw new ValidationFailed([{ field: 'teamId', reason: 'no team has this id' }]);
    return team;
  }

  private async roleOf(actor: Actor, program: Program) {
    return (await this.access.rolesFor(actor, [program.id])).get(program.id)!;
  }
}
