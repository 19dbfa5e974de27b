import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { SESSION_COOKIE, type Actor } from './auth.types';
import { PUBLIC_ROUTE } from './decorators';
import { SessionsService } from './sessions.service';

/** Every route needs a live session unless it is marked @Public(). */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly sessions: SessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]);
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    const actor = typeof token === 'string' ? await this.sessions.resolve(token) : null;
    if (actor) req.actor = actor;
    if (isPublic || actor) return true;
    throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: 'Sign in to continue' });
  }
}
