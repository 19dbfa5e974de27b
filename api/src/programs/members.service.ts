import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { AddMemberInput, Page, PageQuery, ProgramRole } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, toPage } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import { User } from '../users/user.entity';
import { ProgramMember } from './program-member.entity';
import type { Program } from './program.entity';
import { memberView, type MemberView } from './program.view';

const conflict = (message: string) => new ConflictException({ statusCode: 409, error: 'Conflict', message });

@Injectable()
export class MembersService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService) {}

  async list(actor: Actor, idOrKey: string, query: PageQuery): Promise<Page<MemberView>> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'read');
    const after = decodeCursor(query.cursor, 2);
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
    const { program } = await this.access.requireProgram(actor, idOrKey, 'manage');
    const user = await this.em.findOne(User, { id: input.userId });
    if (!user) throw new ValidationFailed([{ field: 'userId', reason: 'no person has this id' }]);
    if (!user.active) throw conflict(`${user.name} is deactivated and cannot be added`);
    if (await this.em.count(ProgramMember, { program, user })) throw conflict(`${user.name} is already a member of ${program.key}`);
    const member = this.em.create(ProgramMember, { program, user, role: input.role });
    await this.em.flush();
    return memberView(member);
  }

  async changeRole(actor: Actor, idOrKey: string, userId: string, role: ProgramRole): Promise<MemberView> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'manage');
    const member = await this.member(program, userId);
    if (member.role === 'owner' && role !== 'owner') this.keepAnOwner(program, member);
    member.role = role;
    await this.em.flush();
    return memberView(member);
  }

  async remove(actor: Actor, idOrKey: string, userId: string): Promise<void> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'manage');
    const member = await this.member(program, userId);
    if (member.role === 'owner') this.keepAnOwner(program, member);
    await this.em.removeAndFlush(member);
  }

  /** The program's named owner stays an owner, so the program always has someone accountable. */
  private keepAnOwner(program: Program, leaving: ProgramMember): void {
    if (program.owner.id === leaving.user.id) {
      throw conflict(`${leaving.user.name} is the owner of ${program.key}; make someone else the owner first`);
    }
  }

  private async member(program: Program, userId: string): Promise<ProgramMember> {
    const member = await this.em.findOne(ProgramMember, { program, user: userId }, { populate: ['user'] });
    if (!member) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'That person is not a member of this program' });
    return member;
  }
}
