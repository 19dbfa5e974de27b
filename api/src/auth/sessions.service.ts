import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { User } from '../users/user.entity';
import type { Actor } from './auth.types';
import { Session } from './session.entity';

const TOUCH_EVERY_MS = 60_000;

@Injectable()
export class SessionsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

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

  /** The active person a cookie token belongs to, or null for unknown, expired or deactivated. */
  async resolve(token: string): Promise<Actor | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const session = await this.em.findOne(Session, { id: this.idOf(token) }, { populate: ['user'] });
    if (!session) return null;
    const now = Date.now();
    if (session.expiresAt.getTime() <= now || !session.user.active) {
      await this.em.nativeDelete(Session, { id: session.id });
      return null;
    }
    if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.em.nativeUpdate(Session, { id: session.id }, { lastSeenAt: new Date(now) });
    }
    const { id, email, name, orgRole } = session.user;
    return { id, email, name, orgRole };
  }

  async end(token: string): Promise<void> {
    await this.em.nativeDelete(Session, { id: this.idOf(token) });
  }

  async endAllFor(userId: string): Promise<number> {
    return this.em.nativeDelete(Session, { user: userId });
  }

  private idOf(token: string): string {
    return createHmac('sha256', this.config.sessionSecret).update(token).digest('base64url');
  }
}
