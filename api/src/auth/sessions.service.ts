import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { User } from '../users/user.entity';
import type { OrgRole } from '@tandem/domain';
import type { Actor } from './auth.types';
import { Session } from './session.entity';

const TOUCH_EVERY_MS = 60_000;
/** How often each node deletes the sessions past their expiry (deleting on two nodes is harmless). */
export const SESSION_SWEEP_MS = 60 * 60 * 1000;

interface SessionRow {
  expires_at: Date | string;
  last_seen_at: Date | string;
  id: string;
  email: string;
  name: string;
  org_role: OrgRole;
  active: boolean;
}

/** Who a valid session cookie speaks for, and until when (fixed at sign-in: sessions do not slide). */
export interface SessionHolder {
  actor: Actor;
  expiresAt: Date;
}

@Injectable()
export class SessionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Sessions');
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // An expired session is refused and deleted when it is presented; one never presented again
    // (a browser cleared, a machine retired) would otherwise stay in the table for good.
    this.sweepTimer = setInterval(() => {
      this.sweepExpired().catch((error: unknown) => this.logger.warn(`deleting expired sessions: ${String(error)}`));
    }, SESSION_SWEEP_MS);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }

  /** Deletes every session past its expiry; returns how many. */
  async sweepExpired(now = new Date()): Promise<number> {
    return this.em.fork().nativeDelete(Session, { expiresAt: { $lte: now } });
  }

  /** Starts a session and returns the token for the cookie. */
  async start(user: User, meta: { ip: string | null; userAgent: string | null }): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3_600_000);
    const session = this.em.create(Session, {
      id: this.idOf(token),
      user,
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 400) ?? null,
    });
    await this.em.persistAndFlush(session);
    return { token, expiresAt };
  }

  /**
   * The active person a cookie token belongs to, or null for unknown, expired or deactivated.
   * Every signed-in request asks this, so it is one plain statement, not an entity load: the
   * ORM's query building and hydration cost more than the query itself.
   */
  async resolve(token: string): Promise<SessionHolder | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const sessionId = this.idOf(token);
    const [row] = await this.em.getConnection().execute<SessionRow[]>(
      `select s.expires_at, s.last_seen_at, u.id, u.email, u.name, u.org_role, u.active
       from "session" s join "user" u on u.id = s.user_id where s.id = ?`,
      [sessionId],
    );
    if (!row) return null;
    const now = Date.now();
    const expiresAt = new Date(row.expires_at);
    if (expiresAt.getTime() <= now || !row.active) {
      await this.em.nativeDelete(Session, { id: sessionId });
      return null;
    }
    if (now - new Date(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
      await this.em.nativeUpdate(Session, { id: sessionId }, { lastSeenAt: new Date(now) });
    }
    return { actor: { id: row.id, email: row.email, name: row.name, orgRole: row.org_role }, expiresAt };
  }

  async end(token: string): Promise<void> {
    await this.em.nativeDelete(Session, { id: this.idOf(token) });
  }

  /** Sessions of the person that still sign them in (not past their expiry). */
  async countLiveFor(userId: string, now = new Date()): Promise<number> {
    return this.em.count(Session, { user: userId, expiresAt: { $gt: now } });
  }

  async endAllFor(userId: string): Promise<number> {
    return this.em.nativeDelete(Session, { user: userId });
  }

  private idOf(token: string): string {
    return createHmac('sha256', this.config.sessionSecret).update(token).digest('base64url');
  }
}
