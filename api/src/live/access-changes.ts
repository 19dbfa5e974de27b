import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';

export interface AccessChange {
  userId: string;
  /** null: every program (org role changed, deactivated) */
  programId: string | null;
}

/**
 * "Someone's access may have changed": raised by the services that change memberships, roles or
 * accounts, heard by everything that holds open connections (the collab gateway), which then asks
 * the access module again. Crosses nodes through the socket.io adapter when there is one.
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
