import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { CreateUserInput, Page, PageQuery, UpdateUserInput } from '@tandem/domain';
import { hashPassword } from '../auth/password';
import { SessionsService } from '../auth/sessions.service';
import { AccessChanges } from '../live/access-changes';
import { LiveEvents } from '../live/live.events';
import { ApiTokensService } from '../tokens/api-tokens.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, toPage } from '../common/pagination';
import { User } from './user.entity';
import { userView, type UserView } from './user.view';

const notFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Person not found' });

@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly sessions: SessionsService,
    private readonly live: LiveEvents,
    private readonly accessChanges: AccessChanges,
    private readonly tokens: ApiTokensService,
  ) {}

  /** Everyone signed in may look people up (to add them to a program); only admins see deactivated people. */
  async list(actor: Actor, query: PageQuery & { includeInactive?: boolean }): Promise<Page<UserView>> {
    const after = decodeCursor(query.cursor, ['string', 'uuid']);
    const showInactive = actor.orgRole === 'admin' && query.includeInactive;
    const rows = await this.em.find(
      User,
      {
        ...(showInactive ? {} : { active: true }),
        ...(after ? { $or: [{ name: { $gt: after[0] as string } }, { name: after[0] as string, id: { $gt: after[1] as string } }] } : {}),
      },
      { orderBy: { name: 'asc', id: 'asc' }, limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, (u) => [u.name, u.id], userView);
  }

  async create(actor: Actor, input: CreateUserInput): Promise<UserView> {
    this.requireAdmin(actor);
    if (await this.em.count(User, { email: input.email })) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `Someone already uses ${input.email}` });
    }
    const user = this.em.create(User, {
      email: input.email,
      name: input.name,
      orgRole: input.orgRole,
      passwordHash: await hashPassword(input.password),
    });
    await this.em.persistAndFlush(user);
    return userView(user);
  }

  async get(id: string): Promise<UserView> {
    const user = await this.em.findOne(User, { id });
    if (!user) throw notFound();
    return userView(user);
  }

  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<UserView> {
    this.requireAdmin(actor);
    const user = await this.em.findOne(User, { id });
    if (!user) throw notFound();
    if (id === actor.id && ((input.orgRole && input.orgRole !== 'admin') || input.active === false)) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: 'You cannot demote or deactivate yourself; ask another admin' });
    }
    if (input.name !== undefined) user.name = input.name;
    const roleChanged = input.orgRole !== undefined && input.orgRole !== user.orgRole;
    if (input.orgRole !== undefined) user.orgRole = input.orgRole;
    if (input.active !== undefined && input.active !== user.active) {
      user.active = input.active;
      user.deactivatedAt = input.active ? null : new Date();
    }
    await this.em.flush();
    // A deactivated person is signed out everywhere at once, and their API tokens die.
    if (!user.active) {
      await this.sessions.endAllFor(user.id);
      await this.tokens.revokeAllFor(user.id);
      this.live.disconnectUser(user.id);
    }
    if (!user.active || roleChanged) this.accessChanges.notify({ userId: user.id, programId: null });
    return userView(user);
  }

  private requireAdmin(actor: Actor): void {
    if (actor.orgRole !== 'admin') throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'Only admins manage people' });
  }
}
