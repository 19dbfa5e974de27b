import { Injectable, Logger } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { LIVE_EVENT, programRoom, sessionRoom, tokenRoom, userRoom, type ProgramChangeEvent } from './live.protocol';

/**
 * Pushes change events to the pages that have a program open, after the change is committed.
 * Holds the `/live` namespace once the gateway has started; before that (or in a process without
 * sockets) publishing is a no-op — the database is the source of truth, events only say "refresh".
 */
@Injectable()
export class LiveEvents {
  private readonly logger = new Logger('Live');
  private namespace: Namespace | null = null;

  attach(namespace: Namespace): void {
    this.namespace = namespace;
  }

  /** To the program's room, and to any other rooms named (e.g. a person newly added to it). */
  publish(event: ProgramChangeEvent, alsoTo: readonly string[] = []): void {
    this.namespace?.to([programRoom(event.programId), ...alsoTo]).emit(LIVE_EVENT, event);
  }

  /**
   * Portfolio pages (rooms of `portfolioRoom` or `ALL_PROGRAMS_ROOM`) follow a program they did not
   * subscribe to: it was created, or their person was given it, after they opened. Without this a
   * portfolio heard that the program arrived and nothing it did afterwards.
   */
  followProgram(programId: string, portfolios: readonly string[]): void {
    this.namespace?.in([...portfolios]).socketsJoin(programRoom(programId));
  }

  /** Someone lost access to a program: their open pages stop receiving its events at once. */
  revokeProgram(userId: string, programId: string): void {
    this.namespace?.in(userRoom(userId)).socketsLeave(programRoom(programId));
  }

  /**
   * Someone was deactivated or signed out everywhere: close every live connection they have. Like
   * every close here, only the `/live` sockets (see `disconnectSession`).
   */
  disconnectUser(userId: string): void {
    if (!this.namespace) return;
    this.namespace.in(userRoom(userId)).disconnectSockets(false);
    this.logger.debug(`closed live connections of ${userId}`);
  }

  /**
   * A browser signed out: close the live connections its session opened (on every node). Only the
   * `/live` sockets: a browser may carry `/collab` on the same connection, and that one is closed
   * by the collab gateway, which first tells the editor why.
   */
  disconnectSession(key: string): void {
    this.namespace?.in(sessionRoom(key)).disconnectSockets(false);
  }

  /** An API token was revoked: close the live connections opened with it (on every node). */
  disconnectToken(tokenId: string): void {
    this.namespace?.in(tokenRoom(tokenId)).disconnectSockets(false);
  }
}
