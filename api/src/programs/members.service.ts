import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { AddMemberInput, Page, PageQuery, ProgramRole } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { ProgramChanges } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, toPage } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import { AccessChanges } from '../live/access-changes';
import { LiveEvents } from '../live/live.events';
import { portfolioRoom, userRoom } from '../live/live.protocol';
import { User } from '../users/user.entity';
import { ProgramMember } from './program-member.entity';
import type { Program } from './program.entity';
import { memberView, type MemberView } from './program.view';

/** Who may see an archived program stays manageable (someone leaves the company). */
const ACCESS_STAYS_MANAGEABLE = { whileArchived: true };
const conflict = (message: string) => new ConflictException({ statusCode: 409, error: 'Conflict', message });

@Injectable()
export class MembersService {
  constructor(
    private readonly em: EntityManager,
    private readonly access: AccessService,
    private readonly changes: ProgramChanges,
    private readonly live: LiveEvents,
    private readonly accessChanges: AccessChanges,
  ) {}

  async list(actor: Actor, idOrKey: string, query: PageQuery): Promise<Page<MemberView>> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'read');
    const after = decodeCursor(query.cursor, ['string', 'uuid']);
    const rows = await this.em.find(
      ProgramMember,
      {
        program,
        ...(after ? { $or: [{ user: { name: { $gt: String(after[0]) } } }, { user: { name: String(after[0]), id: { $gt: String(after[1]) } } }] } : {}),
      },
      { populate: ['user'], orderBy: { user: { name: 'asc', id: 'asc' } }, limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, (m) => [m.user.name, m.user.id], memberView);
  }

  async add(actor: Actor, idOrKey: string, input: AddMemberInput): Promise<MemberView> {
    let programId = '';
    const view = await this.changes.apply(actor, idOrKey, 'manage', async ({ program, tx, record }) => {
      programId = program.id;
      const user = await tx.findOne(User, { id: input.userId });
      if (!user) throw new ValidationFailed([{ field: 'userId', reason: 'no person has this id' }]);
      if (!user.active) throw conflict(`${user.name} is deactivated and cannot be added`);
      if (await tx.count(ProgramMember, { program, user })) throw conflict(`${user.name} is already a member of ${program.key}`);
      const member = tx.create(ProgramMember, { program, user, role: input.role });
      record({
        entityType: 'member',
        entityId: user.id,
        action: 'added',
        summary: `added ${user.name} as ${input.role}`,
        changes: { role: { before: null, after: input.role } },
        // Their open pages hear about it: their portfolio gains a program.
        notify: [userRoom(user.id)],
      });
      return memberView(member);
    }, ACCESS_STAYS_MANAGEABLE);
    // Their open portfolios follow the program from now on.
    this.live.followProgram(programId, [portfolioRoom(input.userId)]);
    return view;
  }

  async changeRole(actor: Actor, idOrKey: string, userId: string, role: ProgramRole): Promise<MemberView> {
    let programId = '';
    const view = await this.changes.apply(actor, idOrKey, 'manage', async ({ program, tx, record }) => {
      programId = program.id;
      const member = await this.member(tx, program, userId);
      if (member.role === 'owner' && role !== 'owner') this.keepOwner(program, member);
      if (member.role !== role) {
        record({ entityType: 'member', entityId: userId, action: 'role_changed', summary: `made ${member.user.name} ${role}`, changes: { role: { before: member.role, after: role } } });
        member.role = role;
      }
      return memberView(member);
    }, ACCESS_STAYS_MANAGEABLE);
    // Open documents of theirs become read-only (or writable) at once.
    this.accessChanges.notify({ userId, programId });
    return view;
  }

  async remove(actor: Actor, idOrKey: string, userId: string): Promise<void> {
    const programId = await this.changes.apply(actor, idOrKey, 'manage', async ({ program, tx, record }) => {
      const member = await this.member(tx, program, userId);
      if (member.role === 'owner') this.keepOwner(program, member);
      tx.remove(member);
      record({ entityType: 'member', entityId: userId, action: 'removed', summary: `removed ${member.user.name}`, changes: { role: { before: member.role, after: null } } });
      return program.id;
    }, ACCESS_STAYS_MANAGEABLE);
    // Their open pages stop hearing about this program, and their open documents close, at once.
    this.live.revokeProgram(userId, programId);
    this.accessChanges.notify({ userId, programId });
  }

  /** The program's named owner stays an owner, so the program always has someone accountable. */
  private keepOwner(program: Program, leaving: ProgramMember): void {
    if (program.owner.id === leaving.user.id) {
      throw conflict(`${leaving.user.name} is the owner of ${program.key}; make someone else the owner first`);
    }
  }

  private async member(tx: EntityManager, program: Program, userId: string): Promise<ProgramMember> {
    const member = await tx.findOne(ProgramMember, { program, user: userId }, { populate: ['user'] });
    if (!member) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'That person is not a member of this program' });
    return member;
  }
}
