import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ApiRateLimit, TooManyRequests } from '../security/api-rate-limit';
import type { Actor } from './auth.types';
import { Credentials, type Caller } from './credentials';
import { PUBLIC_ROUTE, SESSION_ONLY } from './decorators';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route needs a caller — a session or a personal API token — unless it is marked
 * @Public(). Then, in this order: the REST rate limit (per session, token, or client address for
 * signed-out calls), a read-scoped token's refusal to write, and the session-only routes'
 * refusal of tokens.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: Credentials,
    private readonly rateLimit: ApiRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets);
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor; caller?: Caller }>();
    const caller = await this.credentials.fromHeaders(req.headers, req.cookies as Record<string, unknown> | undefined);
    if (caller) {
      req.actor = caller.actor;
      req.caller = caller;
    }
    // Signed-out calls count per client address — except from this machine: the web app's own
    // server-side rendering fetches from loopback for every signed-out visitor (a shared report
    // page, the sign-in page), and one bucket for all of them would throttle them together.
    const key = caller?.key ?? (isLoopback(req.ip) ? null : `ip:${req.ip ?? 'unknown'}`);
    if (key && req.path.startsWith('/api/')) await this.limit(key, context.switchToHttp().getResponse<Response>());
    if (isPublic) return true;
    if (!caller) throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'Sign in to continue' });
    if (caller.readOnly && !SAFE_METHODS.has(req.method)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'This API token is read-only' });
    }
    if (caller.via === 'token' && this.reflector.getAllAndOverride<boolean>(SESSION_ONLY, targets)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'Sign in with a browser session to manage API tokens' });
    }
    return true;
  }

  private async limit(key: string, res: Response): Promise<void> {
    try {
      await this.rateLimit.take(key);
    } catch (error) {
      if (error instanceof TooManyRequests) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }
}

const isLoopback = (ip: string | undefined): boolean => !!ip && (ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.'));
