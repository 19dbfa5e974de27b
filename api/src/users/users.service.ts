import { ConflictException, ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { lastAdminBlock, removesActiveAdmin, type CreateUserInput, type Page, type PageQuery, type UpdateUserInput } from '@tandem/domain';
import { hashPassword } from '../auth/password';
import { SessionsService } from '../auth/sessions.service';
import { AccessChanges } from '../live/access-changes';
import { LiveEvents } from '../live/live.events';
import { ApiTokensService } from '../tokens/api-tokens.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, toPage } from '../common/pagination';
import { CalendarToken } from '../calendar/calendar-token.entity';
import { User } from './user.entity';
import { userView, type AccessEnded, type DeactivationPreview, type UserChange, type UserView } from './user.view';

const notFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Person not found' });

@Injectable()
export class UsersService {
  private readonly logger = new Logger('People');

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

  /** What deactivating the person would end, for the admin to read before confirming. */
  async deactivationPreview(actor: Actor, id: string): Promise<DeactivationPreview> {
    this.requireAdmin(actor);
    const user = await this.em.findOne(User, { id });
    if (!user) throw notFound();
    const [sessions, apiTokens, feeds] = await Promise.all([
      this.sessions.countLiveFor(id),
      this.tokens.countFor(id),
      this.em.count(CalendarToken, { user: id }),
    ]);
    return { sessions, apiTokens, calendarFeed: feeds > 0 };
  }

  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<UserChange> {
    this.requireAdmin(actor);
    if (id === actor.id && ((input.orgRole && input.orgRole !== 'admin') || input.active === false)) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: 'You cannot demote or deactivate yourself; ask another admin' });
    }
    // Changes that take an admin out are made one at a time, and the active admins counted after
    // the lock: two admins demoting or deactivating each other at once would otherwise both see
    // the other still there, and leave the organisation with no one who can manage people.
    const { user, roleChanged } = await this.em.transactional(async (tx) => {
      const user = await tx.findOne(User, { id });
      if (!user) throw notFound();
      if (removesActiveAdmin(user, input)) {
        await tx.execute('select pg_advisory_xact_lock(hashtext(?))', ['org-admins']);
        await tx.refresh(user);
        const blocked = lastAdminBlock(user, input, await tx.count(User, { orgRole: 'admin', active: true }));
        if (blocked) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: blocked });
      }
      if (input.name !== undefined) user.name = input.name;
      const roleChanged = input.orgRole !== undefined && input.orgRole !== user.orgRole;
      if (input.orgRole !== undefined) user.orgRole = input.orgRole;
      if (input.active !== undefined && input.active !== user.active) {
        user.active = input.active;
        user.deactivatedAt = input.active ? null : new Date();
      }
      return { user, roleChanged };
    });
    // A deactivated person is signed out everywhere at once, and their API tokens are deleted for
    // good: reactivation lets them sign in again, but a credential once revoked stays revoked.
    let revoked: AccessEnded | null = null;
    if (!user.active) {
      const sessions = await this.sessions.countLiveFor(user.id);
      await this.sessions.endAllFor(user.id);
      const apiTokens = await this.tokens.revokeAllFor(user.id);
      this.live.disconnectUser(user.id);
      if (input.active === false) {
        revoked = { sessions, apiTokens };
        this.logger.log(`${actor.email} deactivated ${user.email}: ended ${sessions} session(s), revoked ${apiTokens} API token(s)`);
      }
    }
    if (!user.active || roleChanged) this.accessChanges.notify({ userId: user.id, programId: null });
    return { ...userView(user), revoked };
  }

  private requireAdmin(actor: Actor): void {
    if (actor.orgRole !== 'admin') throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'Only admins manage people' });
  }
}
