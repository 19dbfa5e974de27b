import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from './auth.types';

export const PUBLIC_ROUTE = 'tandem:public';

/** The route answers without a session (sign-in, health). Everything else needs one. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The signed-in person making the request. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<Request & { actor?: Actor }>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});

export const SESSION_ONLY = 'tandem:session-only';

/** The route needs a signed-in browser session; an API token gets 403 (tokens cannot manage tokens). */
export const SessionOnly = () => SetMetadata(SESSION_ONLY, true);
