import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import type { User } from '../users/user.entity';
import { SESSION_COOKIE, type Actor } from './auth.types';
import { AccessChanges } from '../live/access-changes';
import { LiveEvents } from '../live/live.events';
import { sessionKey } from './credentials';
import { SessionsService } from './sessions.service';

/** The session cookie's attributes: HttpOnly, SameSite=Lax, Secure over https, the whole site. */
export function sessionCookieOptions(req: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' };
}

/**
 * Signing a browser in and out, whichever way the person proved who they are (password or single
 * sign-on): one place starts the session, rotates away the one the browser had, and sets the cookie.
 */
@Injectable()
export class SessionCookies {
  constructor(
    private readonly sessions: SessionsService,
    private readonly live: LiveEvents,
    private readonly accessChanges: AccessChanges,
  ) {}

  async open(user: User, req: Request, res: Response): Promise<Actor> {
    const { token, expiresAt } = await this.sessions.start(user, { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null });
    // Rotate: whatever session this browser had ends once the new one exists — and with it what
    // it had open (another person signing in on a shared computer must not inherit an open editor).
    const previous: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof previous === 'string') await this.end(previous);
    res.cookie(SESSION_COOKIE, token, { ...sessionCookieOptions(req), expires: expiresAt });
    return { id: user.id, email: user.email, name: user.name, orgRole: user.orgRole };
  }

  /** Signs out. */
  async close(req: Request, res: Response): Promise<void> {
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string') await this.end(token);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req));
  }

  /** The session ends, and so do the live connections it opened, on every node. */
  private async end(token: string): Promise<void> {
    await this.sessions.end(token);
    const key = sessionKey(token);
    this.accessChanges.notify({ userId: null, programId: null, sessionKey: key });
    this.live.disconnectSession(key);
  }
}
