import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SESSION_COOKIE } from '../auth/auth.types';
import type { AppConfig } from '../config/config';
import { carriesSessionCookie, requestSite } from './same-origin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CROSS_SITE_REFUSED = 'Cross-site request refused';

/**
 * CSRF protection for cookie-authenticated writes. The session cookie is SameSite=Lax, which
 * already keeps it off most cross-site requests; on top of that a POST, PUT, PATCH or DELETE that
 * carries it must come from the app's own origin (Origin, or Referer without it). Requests
 * authenticated with an API token carry no cookie and are not affected.
 */
export function csrfProtection(config: AppConfig): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method) || !carriesSessionCookie(req.headers, SESSION_COOKIE)) return next();
    if (requestSite(config, req.headers) !== 'cross') return next();
    res.status(403).json({ statusCode: 403, error: 'Forbidden', message: CROSS_SITE_REFUSED });
  };
}

/**
 * The same rule for the socket.io handshake (engine.io's `allowRequest`): a page on another site
 * must not open a realtime connection with the session cookie the browser attaches by itself.
 */
export function socketOriginCheck(config: AppConfig): (req: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => void {
  return (req, callback) => {
    const refused = carriesSessionCookie(req.headers, SESSION_COOKIE) && requestSite(config, req.headers) === 'cross';
    callback(refused ? CROSS_SITE_REFUSED : null, !refused);
  };
}
