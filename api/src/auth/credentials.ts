import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'socket.io';
import { ApiTokensService } from '../tokens/api-tokens.service';
import { SESSION_COOKIE, type Actor } from './auth.types';
import { SessionsService } from './sessions.service';

/** Who is calling, and with what. */
export interface Caller {
  actor: Actor;
  via: 'session' | 'token';
  /** the API token's id (via 'token') */
  tokenId: string | null;
  /** a read-scoped API token: GET only, read-only co-editing */
  readOnly: boolean;
  /** names the credential without revealing it (rate-limit buckets) */
  key: string;
  /** when the session or token stops working (null: a token without expiry); sockets close then */
  expiresAt: Date | null;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url').slice(0, 32);

/** Names a session without revealing its token: rate-limit buckets, and the room of the connections it opened. */
export const sessionKey = (token: string) => `s:${digest(token)}`;

/**
 * Resolves a caller from a request or a socket handshake: a personal API token
 * (`Authorization: Bearer tdm_…`, or `auth.token` on a socket) or the session cookie. A request
 * that presents a bearer token is judged by it alone — an invalid token is not rescued by a cookie.
 */
@Injectable()
export class Credentials {
  constructor(private readonly sessions: SessionsService, private readonly tokens: ApiTokensService) {}

  async fromHeaders(headers: IncomingHttpHeaders, cookies?: Record<string, unknown>): Promise<Caller | null> {
    const authorization = headers.authorization;
    if (typeof authorization === 'string' && /^bearer\s/i.test(authorization)) return this.fromToken(authorization.slice(7).trim());
    const cookie = cookies ? cookies[SESSION_COOKIE] : cookieValue(headers.cookie, SESSION_COOKIE);
    return typeof cookie === 'string' ? this.fromSession(cookie) : null;
  }

  async fromSocket(socket: Socket): Promise<Caller | null> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (token !== undefined) return typeof token === 'string' ? this.fromToken(token) : null;
    return this.fromHeaders(socket.handshake.headers);
  }

  private async fromToken(token: string): Promise<Caller | null> {
    const holder = await this.tokens.resolve(token);
    if (!holder) return null;
    const { actor, tokenId, scope, expiresAt } = holder;
    return { actor, via: 'token', tokenId, readOnly: scope === 'read', key: `t:${tokenId}`, expiresAt };
  }

  private async fromSession(token: string): Promise<Caller | null> {
    const holder = await this.sessions.resolve(token);
    return holder && { actor: holder.actor, via: 'session', tokenId: null, readOnly: false, key: sessionKey(token), expiresAt: holder.expiresAt };
  }
}

/** One cookie's value from a Cookie header (sockets have no cookie parser). */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
