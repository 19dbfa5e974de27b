import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';

/**
 * Whose access to what may have changed. With a `userId`: that person's, on one program or (null)
 * on every program — a membership, a role, an account. Without one: everyone's on a program or on
 * one of its documents — it was archived or restored; or, with neither, whatever one browser
 * session opened — it signed out (`sessionKey` from the credentials).
 */
export type AccessChange =
  | { userId: string; programId: string | null }
  | { userId: null; programId: string; docId: string | null }
  | { userId: null; programId: null; sessionKey: string };

/**
 * "Access may have changed": raised by the services that change memberships, roles, accounts,
 * and archive programs or documents, heard by everything that holds open connections (the collab
 * gateway), which then asks the access module again. Crosses nodes through the socket.io adapter
 * when there is one.
 */
@Injectable()
export class AccessChanges extends EventEmitter<{ change: [AccessChange] }> {
  private relay: ((change: AccessChange) => void) | null = null;

  /** The socket layer hands over a way to tell the other nodes. */
  setRelay(relay: (change: AccessChange) => void): void {
    this.relay = relay;
  }

  notify(change: AccessChange): void {
    this.emit('change', change);
    this.relay?.(change);
  }

  /** A change that came from another node. */
  receive(change: AccessChange): void {
    this.emit('change', change);
  }
}
