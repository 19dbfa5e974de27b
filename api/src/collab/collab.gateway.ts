import { Inject, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import {
  COLLAB_NAMESPACE,
  PROTOCOL_VERSION,
  awarenessMessage,
  decodeMessage,
  syncStep1Message,
  syncStep2FromUpdate,
  type ClientToServerEvents,
  type JoinAck,
  type RefusalReason,
  type ServerToClientEvents,
} from '@tandem/collab-protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Namespace, Socket } from 'socket.io';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { closeAtExpiry } from '../auth/credential-expiry';
import { Credentials } from '../auth/credentials';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Doc } from '../docs/doc.entity';
import { AccessChanges, type AccessChange } from '../live/access-changes';
import { DirectEmitter } from '../live/direct-write';
import { sessionRoom, tokenRoom, userRoom } from '../live/live.protocol';
import { RoomOutbox } from './outbox';
import { ownPresence } from './presence';
import { TokenBucket } from './rate-limit';
import { RelayService, isAccessChange, type CollabServerEvents } from './relay';
import { SLOW_APPLY_MS, type Room } from './room';
import { RoomsService } from './rooms.service';

interface Joined {
  readOnly: boolean;
  /** update-carrying sync messages received on this connection for this doc */
  received: number;
}

interface CollabData {
  actor: Actor;
  /** opened with a read-scoped API token: every document is read-only on this connection */
  readOnlyToken: boolean;
  tokenId: string | null;
  /** the browser session it was opened with (null: an API token) */
  sessionKey: string | null;
  /** when that session or token stops working (null: never); the connection closes then */
  expiresAt: Date | null;
  docs: Map<string, Joined>;
  updates: TokenBucket;
  awareness: TokenBucket;
}

type CollabSocket = Socket<ClientToServerEvents, ServerToClientEvents, CollabServerEvents, CollabData>;
type CollabNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, CollabServerEvents, CollabData>;

export const docRoom = (docId: string) => `doc:${docId}`;
// Lower case only, as PostgreSQL prints them: one document, one room name (and one relay channel).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `/collab`: Yjs documents over socket.io (wire contract in @tandem/collab-protocol). An update
 * is validated, applied, broadcast to the room, and acknowledged with `saved` only once the
 * database has committed it. Sockets are authorised by the same access module as HTTP: a program
 * viewer gets a read-only connection, and losing access closes or downgrades it at once.
 */
@WebSocketGateway({ namespace: COLLAB_NAMESPACE })
export class CollabGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown {
  private readonly logger = new Logger('Collab');
  private namespace!: CollabNamespace;
  /** SIGTERM: clients were told `closing`; nothing more is accepted */
  private shuttingDown = false;
  /** a room's accepted updates and presence, sent once per event-loop turn */
  private readonly outbox = new RoomOutbox((docId, message, except) => this.direct.toRoom(docRoom(docId), except, 'y', docId, message));
  /** this node's sockets, written to with the fewest layers (one write per recipient) */
  private direct!: DirectEmitter;

  constructor(
    private readonly orm: MikroORM,
    private readonly credentials: Credentials,
    private readonly access: AccessService,
    private readonly rooms: RoomsService,
    private readonly accessChanges: AccessChanges,
    private readonly relay: RelayService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(namespace: CollabNamespace): void {
    this.namespace = namespace;
    this.direct = new DirectEmitter(namespace as unknown as Namespace);
    namespace.use((socket, next) => {
      const auth = socket.handshake.auth as { protocol?: unknown };
      if (auth.protocol !== undefined && auth.protocol !== PROTOCOL_VERSION) return next(new Error('protocol_mismatch'));
      if (this.shuttingDown) return next(new Error('server_shutdown'));
      RequestContext.create(this.orm.em, () => this.credentials.fromSocket(socket))
        .then((caller) => {
          if (!caller) return next(new Error('unauthorized'));
          const { updatesPerSecond, awarenessPerSecond } = this.config.collab;
          socket.data = {
            actor: caller.actor,
            readOnlyToken: caller.readOnly,
            tokenId: caller.tokenId,
            sessionKey: caller.via === 'session' ? caller.key : null,
            expiresAt: caller.expiresAt,
            docs: new Map(),
            updates: new TokenBucket(updatesPerSecond, updatesPerSecond * 2),
            awareness: new TokenBucket(awarenessPerSecond, awarenessPerSecond * 2),
          };
          next();
        })
        .catch(next);
    });
    this.accessChanges.on('change', (change) => void this.recheck(change));
    // Updates and presence from other nodes reach only this node's sockets: each node sends its own.
    this.relay.attach((docId, message) => this.direct.toRoom(docRoom(docId), null, 'y', docId, message));
    if (this.relay.enabled) {
      this.accessChanges.setRelay((change) => namespace.serverSideEmit('access-change', change));
      namespace.on('access-change', (change: unknown) => isAccessChange(change) && this.accessChanges.receive(change));
    }
  }

  handleConnection(socket: CollabSocket): void {
    void socket.join(userRoom(socket.data.actor.id));
    if (socket.data.tokenId) void socket.join(tokenRoom(socket.data.tokenId));
    if (socket.data.sessionKey) void socket.join(sessionRoom(socket.data.sessionKey));
    // An expired session or token ends the connection as signing out does.
    closeAtExpiry(socket, socket.data.expiresAt, () => this.refuse(socket, null, 'unauthorized'));
    socket.on('join', (payload, ack) => void this.join(socket, payload, ack));
    socket.on('leave', (payload) => this.leaveLogged(socket, typeof payload?.docId === 'string' ? payload.docId : ''));
    socket.on('y', (docId, message) => this.message(socket, docId, message));
  }

  handleDisconnect(socket: CollabSocket): void {
    for (const docId of socket.data.docs?.keys() ?? []) this.leaveLogged(socket, docId);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.namespace) return;
    // From here on updates are not taken: each client keeps its unconfirmed edits and sends them
    // to the node it reconnects to. Everything already accepted is stored before sockets close.
    this.shuttingDown = true;
    this.namespace.local.emit('closing', 'server_shutdown');
    this.relay.farewell();
    await this.rooms.closeAll();
    // `/collab` only (see `refuse`): the connections themselves close with the server, and
    // socket.io's client reconnects `/live` after that by itself.
    this.namespace.local.disconnectSockets(false);
  }

  /**
   * Sends a change the server made itself (a restored version, a linked retro card) to this
   * node's clients of the document. Local only: once stored, the relay carries it to other nodes.
   */
  broadcast(docId: string, message: Uint8Array): void {
    if (!this.namespace) return;
    this.outbox.flush(docId);
    this.direct.toRoom(docRoom(docId), null, 'y', docId, message);
  }

  private async join(socket: CollabSocket, payload: unknown, ack: unknown): Promise<void> {
    const reply = typeof ack === 'function' ? (ack as (r: JoinAck) => void) : () => undefined;
    const docId = typeof payload === 'object' && payload !== null ? (payload as { docId?: unknown }).docId : undefined;
    if (this.shuttingDown) return reply({ ok: false, error: 'server_shutdown' });
    if (typeof docId !== 'string' || !UUID.test(docId)) return reply({ ok: false, error: 'not_found' });
    const access = await this.readOnlyFor(socket.data.actor, docId);
    if (access === null) return reply({ ok: false, error: 'not_found' });
    const readOnly = access || socket.data.readOnlyToken;
    let room: Room;
    try {
      room = await this.rooms.open(docId);
    } catch {
      return reply({ ok: false, error: 'not_found' });
    }
    if (!socket.connected) return;
    socket.data.docs.set(docId, { readOnly, received: 0 });
    if (!room.members.has(socket.id)) room.members.set(socket.id, new Set());
    await socket.join(docRoom(docId));
    reply({ ok: true, readOnly });
  }

  /** A leave from an event handler: a failure is logged, never an unhandled rejection that would end the process. */
  private leaveLogged(socket: CollabSocket, docId: string): void {
    this.leave(socket, docId).catch((error: unknown) => this.logger.error(`leaving ${docId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  }

  private async leave(socket: CollabSocket, docId: string): Promise<void> {
    if (!socket.data.docs?.delete(docId)) return;
    void socket.leave(docRoom(docId));
    const room = this.rooms.get(docId);
    if (!room) return;
    const clients = [...(room.members.get(socket.id) ?? [])];
    room.members.delete(socket.id);
    if (clients.length) {
      awarenessProtocol.removeAwarenessStates(room.awareness, clients, 'server');
      const gone = awarenessProtocol.encodeAwarenessUpdate(room.awareness, clients);
      this.outbox.awareness(docId, gone, null);
      this.relay.publishAwareness(docId, gone);
    }
    if (room.members.size === 0) {
      await this.rooms.release(room).catch((error: unknown) => this.logger.warn(`releasing ${docId}: ${String(error)}`));
    }
  }

  private message(socket: CollabSocket, docId: unknown, message: unknown): void {
    if (this.shuttingDown) return;
    if (typeof docId !== 'string' || !(message instanceof Uint8Array)) return this.refuse(socket, null, 'undecodable');
    if (message.byteLength > this.config.collab.maxMessageBytes) return this.refuse(socket, docId, 'oversized');
    const joined = socket.data.docs.get(docId);
    const room = this.rooms.get(docId);
    if (!joined || !room) {
      socket.emit('error', docId, 'not_joined');
      return;
    }
    let decoded: ReturnType<typeof decodeMessage>;
    try {
      decoded = decodeMessage(message);
    } catch {
      return this.refuse(socket, docId, 'undecodable');
    }
    switch (decoded.type) {
      case 'sync-step1':
        return this.answerSyncStep1(socket, room, decoded.stateVector);
      case 'sync-step2':
      case 'update':
        return this.acceptUpdate(socket, room, joined, decoded.update);
      case 'awareness':
        return this.acceptAwareness(socket, room, decoded.update);
    }
  }

  private answerSyncStep1(socket: CollabSocket, room: Room, stateVector: Uint8Array): void {
    let diff: Uint8Array;
    try {
      diff = Y.encodeStateAsUpdate(room.doc, stateVector);
    } catch {
      return this.refuse(socket, room.docId, 'undecodable');
    }
    socket.emit('y', room.docId, syncStep2FromUpdate(diff));
    socket.emit('y', room.docId, syncStep1Message(room.doc));
    const others = [...room.awareness.getStates().keys()];
    if (others.length) socket.emit('y', room.docId, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, others)));
  }

  private acceptUpdate(socket: CollabSocket, room: Room, joined: Joined, update: Uint8Array): void {
    if (joined.readOnly) return this.refuse(socket, room.docId, 'read_only');
    if (!socket.data.updates.take()) return this.refuse(socket, room.docId, 'rate_limited');
    const n = ++joined.received;
    const result = room.apply(update, socket);
    if (!result.ok) {
      if (result.tainted) void this.rooms.reload(room);
      return this.refuse(socket, room.docId, result.reason);
    }
    // Peers see the change this turn; only `saved` waits for the commit.
    if (result.effective) this.outbox.update(room.docId, result.effective, socket.id);
    this.rooms.persist(room, result.effective).then(
      () => this.direct.toSocket(socket as unknown as Socket, 'saved', room.docId, n),
      (error: unknown) => this.logger.error(`persisting ${room.docId}: ${String(error)}`),
    );
    if (result.ms > SLOW_APPLY_MS) this.refuse(socket, room.docId, 'too_expensive');
  }

  private acceptAwareness(socket: CollabSocket, room: Room, update: Uint8Array): void {
    if (!socket.data.awareness.take()) return this.refuse(socket, room.docId, 'rate_limited');
    let own: Uint8Array | null;
    try {
      // Presence speaks for the signed-in person only, never for another connection's clients.
      const elsewhere = (clientId: number) => [...room.members].some(([id, clients]) => id !== socket.id && clients.has(clientId));
      own = ownPresence(update, socket.data.actor, elsewhere);
      if (own) awarenessProtocol.applyAwarenessUpdate(room.awareness, own, socket.id);
    } catch {
      return this.refuse(socket, room.docId, 'undecodable');
    }
    if (!own) return;
    this.outbox.awareness(room.docId, own, socket.id);
    this.relay.publishAwareness(room.docId, own);
  }

  /**
   * Tells the client why, then closes its `/collab` socket; the document is untouched. Only that
   * socket: a client may carry `/live` on the same connection, and closing the connection would
   * end that too — with a server-side disconnect, which socket.io's client never reconnects, so
   * its pages would silently stop updating. Anything the client sends to `/collab` after this
   * makes socket.io close the whole connection.
   */
  private refuse(socket: CollabSocket, docId: string | null, reason: RefusalReason): void {
    this.logger.debug(`refused ${socket.id} (${socket.data.actor?.email ?? '?'}) on ${docId ?? '-'}: ${reason}`);
    socket.emit('error', docId, reason);
    socket.emit('closing', reason);
    socket.disconnect(false);
  }

  /** null: may not read; true: may read only (a viewer, or the document or its program is archived). */
  private async readOnlyFor(actor: Actor, docId: string): Promise<boolean | null> {
    try {
      return await RequestContext.create(this.orm.em, async () => {
        const { ability, program } = await this.access.requireChild(actor, Doc, docId, 'Document', 'read');
        const doc = await this.orm.em.findOne(Doc, { id: docId }, { fields: ['archivedAt'] });
        if (!doc) return null;
        return !ability.write || program.archivedAt !== null || doc.archivedAt !== null;
      });
    } catch {
      return null;
    }
  }

  /** Access changed: ask again for every affected document open on this node. */
  private async recheck(change: AccessChange): Promise<void> {
    if (change.userId === null) return change.programId === null ? this.signedOut(change.sessionKey) : this.recheckDocs(change.programId, change.docId);
    const sockets = await this.namespace.in(userRoom(change.userId)).local.fetchSockets();
    for (const remote of sockets) {
      const socket = this.namespace.sockets.get(remote.id);
      if (!socket) continue;
      const affected = [...socket.data.docs].filter(([docId]) => {
        const room = this.rooms.get(docId);
        return !change.programId || !room || room.programId === change.programId;
      });
      // A whole-account change (deactivation, a revoked token) reaches connections with no document open too.
      if (!affected.length && change.programId) continue;
      const actor = await this.freshActor(socket);
      if (!actor) {
        this.refuse(socket, affected[0]?.[0] ?? null, 'access_revoked');
        continue;
      }
      for (const [docId, joined] of affected) {
        if (!this.reapply(socket, docId, joined, await this.readOnlyFor(actor, docId))) break;
      }
    }
  }

  /** A browser signed out: what its session opened on this node is closed, saying why. */
  private async signedOut(sessionKey: string): Promise<void> {
    const sockets = await this.namespace.in(sessionRoom(sessionKey)).local.fetchSockets();
    for (const remote of sockets) {
      const socket = this.namespace.sockets.get(remote.id);
      if (socket) this.refuse(socket, null, 'unauthorized');
    }
  }

  /**
   * A program or one of its documents was archived or restored: everyone who has it open on this
   * node is asked again (an archived one is read-only). People with the same access get the same
   * answer, so each person is asked once per document.
   */
  private async recheckDocs(programId: string, docId: string | null): Promise<void> {
    const rooms = [...this.rooms.all()].filter((room) => (docId ? room.docId === docId : room.programId === programId));
    for (const room of rooms) {
      const answers = new Map<string, Promise<boolean | null>>();
      for (const socketId of [...room.members.keys()]) {
        const socket = this.namespace.sockets.get(socketId);
        const joined = socket?.data.docs.get(room.docId);
        if (!socket || !joined) continue;
        const actor = socket.data.actor;
        let answer = answers.get(actor.id);
        if (!answer) answers.set(actor.id, (answer = this.readOnlyFor(actor, room.docId)));
        this.reapply(socket, room.docId, joined, await answer);
      }
    }
  }

  /** Applies a new answer to one connection's document: closed (false) when it may not read it any more. */
  private reapply(socket: CollabSocket, docId: string, joined: Joined, access: boolean | null): boolean {
    if (access === null) {
      this.refuse(socket, docId, 'access_revoked');
      return false;
    }
    const readOnly = access || socket.data.readOnlyToken;
    if (readOnly !== joined.readOnly) {
      joined.readOnly = readOnly;
      socket.emit('access', docId, { readOnly });
    }
    return true;
  }

  /** The person as they are now (role changes, deactivation, a revoked token), from their session or token. */
  private async freshActor(socket: CollabSocket): Promise<Actor | null> {
    const caller = await RequestContext.create(this.orm.em, () => this.credentials.fromSocket(socket));
    if (caller) socket.data.actor = caller.actor;
    return caller?.actor ?? null;
  }
}
