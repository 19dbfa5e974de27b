import * as awarenessProtocol from 'y-protocols/awareness';
import type { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { awarenessMessage, decodeMessage, syncStep1Message, syncStep2FromUpdate, updateMessage } from './messages.js';
import { FINAL_REASONS, type ClientToServerEvents, type CollabStatus, type RefusalReason, type ServerToClientEvents } from './protocol.js';

export type CollabSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface CollabProviderOptions {
  /** a socket on the `/collab` namespace, made with `connectCollab` (it carries the binary parser) */
  socket: CollabSocket;
  docId: string;
  doc: Y.Doc;
  /** presence and carets; one is made when not given */
  awareness?: awarenessProtocol.Awareness;
  /** wait this long before rejoining after a refusal that allows retrying (ms) */
  retryDelayMs?: number;
}

type Listener<T> = (value: T) => void;

/**
 * Keeps one Y.Doc in sync with the server and tells the truth about what is saved.
 *
 * Every update-carrying message sent on a connection gets the next number n (from 1); the server
 * answers `saved(n)` once everything up to n is committed. Updates not yet confirmed when the
 * connection drops are not lost: after rejoining, the server's sync step 1 is answered with a
 * step 2 holding everything the server lacks — including them — and once that message is saved,
 * so are they. Yjs makes re-sending idempotent.
 */
export class CollabProvider {
  readonly doc: Y.Doc;
  readonly docId: string;
  readonly awareness: awarenessProtocol.Awareness;
  status: CollabStatus = 'connecting';
  readOnly = false;
  /** why the server last refused this document, if it did */
  refusal: RefusalReason | null = null;

  private readonly socket: CollabSocket;
  private readonly retryDelayMs: number;
  private joined = false;
  private synced = false;
  /** this connection's halves of the sync: the server's state received, the server's question answered */
  private gotServerState = false;
  private answeredServer = false;
  private sentOnConnection = 0;
  /** n → local updates sent on this connection and not yet confirmed */
  private readonly unconfirmed = new Map<number, number>();
  /** local updates made while offline or lost with a connection; cleared when the resync is saved */
  private carried = 0;
  private resyncN: number | null = null;
  private destroyed = false;
  /** applyRemote is applying a server update with the `update` listener set aside */
  private applying = false;
  /** the state before the first local change made during that apply, if one was */
  private localSince: Map<number, number> | null = null;
  private readonly listeners = { status: new Set<Listener<CollabStatus>>(), synced: new Set<Listener<void>>(), refused: new Set<Listener<RefusalReason>>() };

  constructor(options: CollabProviderOptions) {
    this.socket = options.socket;
    this.docId = options.docId;
    this.doc = options.doc;
    this.awareness = options.awareness ?? new awarenessProtocol.Awareness(this.doc);
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.doc.on('update', this.onLocalUpdate);
    this.doc.on('afterTransaction', this.onTransaction);
    this.awareness.on('update', this.onLocalAwareness);
    this.socket.on('connect', this.onConnect);
    this.socket.on('disconnect', this.onDisconnect);
    this.socket.on('y', this.onMessage);
    this.socket.on('saved', this.onSaved);
    this.socket.on('error', this.onError);
    this.socket.on('access', this.onAccess);
    this.socket.on('closing', this.onClosing);
    if (this.socket.connected) this.onConnect();
    else this.setStatus(this.socket.active ? 'connecting' : 'offline');
  }

  /** Local changes the server has not confirmed yet ("N changes not yet saved"). */
  get unsavedChanges(): number {
    return this.carried + this.unconfirmed.size;
  }

  on(event: 'status', listener: Listener<CollabStatus>): () => void;
  on(event: 'synced', listener: Listener<void>): () => void;
  on(event: 'refused', listener: Listener<RefusalReason>): () => void;
  on(event: keyof CollabProvider['listeners'], listener: Listener<never>): () => void {
    const set = this.listeners[event] as Set<Listener<never>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], 'local');
    if (this.joined && this.socket.connected) this.socket.emit('leave', { docId: this.docId });
    this.doc.off('update', this.onLocalUpdate);
    this.doc.off('afterTransaction', this.onTransaction);
    this.awareness.off('update', this.onLocalAwareness);
    this.socket.off('connect', this.onConnect);
    this.socket.off('disconnect', this.onDisconnect);
    this.socket.off('y', this.onMessage);
    this.socket.off('saved', this.onSaved);
    this.socket.off('error', this.onError);
    this.socket.off('access', this.onAccess);
    this.socket.off('closing', this.onClosing);
  }

  private readonly onConnect = (): void => {
    if (this.destroyed) return;
    this.sentOnConnection = 0;
    this.joined = false;
    this.synced = false;
    this.gotServerState = false;
    this.answeredServer = false;
    this.setStatus('syncing');
    this.socket.emit('join', { docId: this.docId }, (ack) => {
      if (this.destroyed) return;
      if (!ack.ok) return this.refuse(ack.error);
      this.joined = true;
      this.readOnly = ack.readOnly;
      this.refusal = null;
      this.send(syncStep1Message(this.doc));
      // Presence is announced again with a newer clock (setLocalState counts it up; the update is
      // sent by onLocalAwareness): when a connection drops, the server and everyone else drop this
      // client's state but keep its clock, and y-protocols ignores a state whose clock is not newer.
      // Sent as it was, this person would stay invisible until awareness renews itself (15 s).
      const local = this.awareness.getLocalState();
      if (local !== null) this.awareness.setLocalState(local);
    });
  };

  private readonly onDisconnect = (): void => {
    this.joined = false;
    this.synced = false;
    // What was sent but not confirmed travels with the next resync.
    this.carried += this.unconfirmed.size;
    this.unconfirmed.clear();
    this.resyncN = null;
    const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
    if (!this.destroyed) this.setStatus('offline');
  };

  private readonly onMessage = (docId: string, message: Uint8Array): void => {
    if (docId !== this.docId || this.destroyed) return;
    const decoded = decodeMessage(message instanceof Uint8Array ? message : new Uint8Array(message as ArrayBuffer));
    switch (decoded.type) {
      case 'sync-step1': {
        // The server asks for what it lacks: everything unconfirmed is in this answer — and so is
        // anything the document held before this provider existed (edits kept offline), so an
        // answer that carries anything stays unconfirmed until the server's `saved` covers it.
        if (!this.readOnly) {
          const missing = Y.encodeStateAsUpdate(this.doc, decoded.stateVector);
          this.resyncN = this.sendUpdateCarrying(syncStep2FromUpdate(missing));
          if (this.carried === 0 && !isEmptyUpdate(missing)) this.unconfirmed.set(this.resyncN, 1);
        }
        this.answeredServer = true;
        this.syncedIfDone();
        break;
      }
      case 'sync-step2':
      case 'update':
        this.applyRemote(decoded.update);
        if (decoded.type === 'sync-step2') {
          this.gotServerState = true;
          this.syncedIfDone();
        }
        break;
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(this.awareness, decoded.update, this);
        break;
    }
  };

  /**
   * Applies what the server sent. Yjs encodes every transaction into an update for its `update`
   * listeners, and for a remote one this provider would drop it (its own origin): about a tenth of
   * what a client spends per received update. So when this provider is the document's only
   * `update` listener, it steps aside for the apply, and Yjs skips the encoding. A change that
   * an observer makes in reaction to the remote one (a transaction of its own, run inside the
   * apply) is still sent: it is noted as it ends and sent as everything after its start —
   * structs plus the document's delete set, a superset that Yjs applies idempotently.
   */
  private applyRemote(update: Uint8Array): void {
    const observers = (this.doc as unknown as { _observers: Map<string, Set<unknown>> })._observers;
    const listeners = observers.get('update');
    if (listeners?.size !== 1 || !listeners.has(this.onLocalUpdate)) {
      Y.applyUpdate(this.doc, update, this);
      return;
    }
    // lib0's on/off would allocate a new listener set per update; the set is put back as it was.
    observers.delete('update');
    this.applying = true;
    this.localSince = null;
    try {
      Y.applyUpdate(this.doc, update, this);
    } finally {
      this.applying = false;
      // Put the set back as observers of the apply left things: a listener added meanwhile stays,
      // and a provider destroyed meanwhile is not listening any more.
      const addedMeanwhile = observers.get('update');
      if (addedMeanwhile) for (const f of addedMeanwhile) listeners.add(f);
      if (this.destroyed) listeners.delete(this.onLocalUpdate);
      if (listeners.size) observers.set('update', listeners);
      else observers.delete('update');
    }
    const since = this.localSince as Map<number, number> | null;
    if (since !== null) {
      this.localSince = null;
      this.onLocalUpdate(Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(since)), null);
    }
  }

  /** Notes a change of this document's own that an observer made while a remote update was applied. */
  private readonly onTransaction = (transaction: Y.Transaction): void => {
    if (this.applying && this.localSince === null && transaction.origin !== this && changedSomething(transaction)) this.localSince = transaction.beforeState;
  };

  /** Synced once both halves are done: until then "saved" could not be true. */
  private syncedIfDone(): void {
    if (this.synced || !this.gotServerState || !this.answeredServer) return;
    this.synced = true;
    this.refreshStatus();
    for (const l of this.listeners.synced) l();
  }

  private readonly onSaved = (docId: string, n: number): void => {
    if (docId !== this.docId) return;
    for (const k of [...this.unconfirmed.keys()]) if (k <= n) this.unconfirmed.delete(k);
    if (this.resyncN !== null && n >= this.resyncN) {
      this.carried = 0;
      this.resyncN = null;
    }
    this.refreshStatus();
  };

  private readonly onError = (docId: string | null, reason: RefusalReason): void => {
    if (docId === this.docId || docId === null) this.refuse(reason);
  };

  private readonly onAccess = (docId: string, access: { readOnly: boolean }): void => {
    if (docId === this.docId) this.readOnly = access.readOnly;
  };

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this || this.destroyed) return;
    if (this.readOnly) return;
    // Until this connection has answered the server's sync step 1, a change waits: the answer
    // carries it, and sent alone it could depend on changes the server does not have yet.
    if (this.joined && this.answeredServer && this.socket.connected) {
      this.sendUpdateCarrying(updateMessage(update));
      this.unconfirmed.set(this.sentOnConnection, 1);
    } else {
      this.carried += 1;
    }
    this.refreshStatus();
  };

  private readonly onLocalAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === this || !this.joined) return;
    const changed = [...added, ...updated, ...removed];
    this.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
  };

  /**
   * The server is about to close the connection. socket.io does not reconnect after a
   * server-side disconnect, so for a reason that is not final (`server_shutdown` during a rolling
   * restart) the provider comes back by itself once the connection is gone, after a spread-out
   * delay so that a node's clients do not all return in the same instant. Refusals (an `error`
   * first) are retried by `refuse`.
   */
  private readonly onClosing = (reason: RefusalReason): void => {
    if (this.destroyed || FINAL_REASONS.has(reason) || this.refusal === reason) return;
    this.socket.once('disconnect', () => {
      setTimeout(() => {
        if (!this.destroyed && !this.socket.connected) this.socket.connect();
      }, this.retryDelayMs * (0.5 + Math.random()));
    });
  };

  private refuse(reason: RefusalReason): void {
    this.refusal = reason;
    for (const l of this.listeners.refused) l(reason);
    if (!FINAL_REASONS.has(reason) && !this.destroyed) {
      setTimeout(() => {
        if (!this.destroyed && !this.socket.connected) this.socket.connect();
      }, this.retryDelayMs);
    }
  }

  private sendUpdateCarrying(message: Uint8Array): number {
    this.sentOnConnection += 1;
    this.send(message);
    return this.sentOnConnection;
  }

  private send(message: Uint8Array): void {
    this.socket.emit('y', this.docId, message);
  }

  private refreshStatus(): void {
    if (!this.socket.connected) return this.setStatus('offline');
    if (!this.synced) return this.setStatus('syncing');
    this.setStatus(this.unsavedChanges > 0 ? 'unsaved-changes' : 'saved');
  }

  private setStatus(status: CollabStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const l of this.listeners.status) l(status);
  }
}

/** Whether a transaction would produce an update (Yjs's own test before it encodes one). */
function changedSomething(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}

/** An update with no structs and an empty delete set: v1 encodes it as two zero varuints. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
