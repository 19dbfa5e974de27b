import type { Socket } from 'socket.io';
import { SESSION_COOKIE, type Actor } from './auth.types';
import type { SessionsService } from './sessions.service';

/** Reads the session cookie from a socket.io handshake: sockets are signed in exactly like HTTP. */
export function sessionToken(socket: Socket): string | null {
  const header = socket.handshake.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export async function socketActor(socket: Socket, sessions: SessionsService): Promise<Actor | null> {
  const token = sessionToken(socket);
  return token ? sessions.resolve(token) : null;
}
