import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { updateMessage, awarenessMessage } from '@tandem/collab-protocol';
import type { Server } from 'socket.io';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { AccessChange } from '../live/access-changes';
import { DocStore } from './doc-store';
import { RedisLink } from './redis-link';
import { RelayLagProbe } from './relay-lag';
import { decodeRelayMessage, encodeRelayMessage, type RelayKind, type RelayMessage } from './relay-wire';
import type { Room } from './room';
import { RoomsService, type RoomListener } from './rooms.service';

export type RelayStatus = 'disabled' | 'ok' | 'down';

/** Events between api nodes on `/collab` (socket.io's serverSideEmit, through the Redis adapter). */
export interface CollabServerEvents {
  'access-change': (change: AccessChange) => void;
}

/** Origin of changes applied from another node's relay (not a socket id, so no socket owns them). */
export const RELAYED = Symbol('relayed from another node');
/** Origin of changes found in PostgreSQL when a room is resynced. */
export const RESYNCED = Symbol('resynced from storage');

const NOTHING = new Uint8Array(0);
/** how long opening a room waits for Redis to confirm the subscription */
const SUBSCRIBE_WAIT_MS = 1000;

/**
 * Keeps rooms of the same document on different nodes converged. With REDIS_URL unset it does
 * nothing and opens no connection. With it set:
 * - each update a node accepted is published on the document's channel once it is committed;
 *   every other node with the room open applies it to its room and only then sends it to its own
 *   clients (so no client holds what its node's doc lacks). It is not stored again.
 * - presence (awareness) goes the same way, applied with an origin that is not a socket.
 * - a node subscribes to a document's channel before it reads the document from storage and
 *   unsubscribes when the room closes, so it hears only about rooms it holds, and misses nothing
 *   between reading and subscribing.
 * - a node that lost Redis resyncs every open room from PostgreSQL when it is back (updates are
 *   published only after commit, so whatever it missed is there), and asks the others to do the
 *   same for the documents whose updates it could not publish meanwhile.
 * Per document, relayed messages and resyncs are handled one at a time, in arrival order, behind
 * the room's loading.
 */
@Injectable()
export class RelayService implements RoomListener, OnApplicationShutdown {
  private readonly logger = new Logger('Relay');
  private readonly nodeId = randomBytes(16);
  private readonly link: RedisLink | null;
  private emitLocal: ((docId: string, message: Uint8Array) => void) | null = null;
  private readonly queues = new Map<string, Promise<void>>();
  /** rooms being loaded: their queue waits on this until the room is open (or failed) */
  private readonly gates = new Map<string, () => void>();
  /** documents with updates that could not be published while Redis was unreachable */
  private readonly unpublished = new Set<string>();
  private lagProbe: RelayLagProbe | null = null;

  constructor(
    private readonly rooms: RoomsService,
    private readonly store: DocStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (!config.redisUrl) {
      this.link = null;
      return;
    }
    this.link = new RedisLink(config.redisUrl, config.redisPrefix, this.nodeId.toString('hex'), {
      down: (reason) =>
        this.logger.warn(`Redis is unreachable (${reason}): edits are still accepted and saved to PostgreSQL; open rooms resync from it once Redis is back`),
      recovered: () => void this.recover().catch((error: unknown) => this.logger.warn(`resync after reconnecting failed: ${String(error)}`)),
    });
    this.link.relaySub.on('messageBuffer', (channel: Buffer, data: Buffer) => this.receive(channel, data));
    rooms.listen(this);
  }

  get enabled(): boolean {
    return this.link !== null;
  }

  /** For readiness: 'down' while any connection to Redis is lost (edits are still saved). */
  get status(): RelayStatus {
    if (!this.link) return 'disabled';
    return this.link.ok ? 'ok' : 'down';
  }

  /** socket.io's Redis adapter for the server (room broadcasts across nodes); null: one node, in memory. */
  socketAdapter(): ((server: Server) => void) | null {
    const link = this.link;
    if (!link) return null;
    return (server) => server.adapter(createAdapter(link.pub, link.adapterSub, { key: link.adapterKey }));
  }

  /** Times the publish → Redis → subscriber path every few seconds (for metrics); nothing without Redis. */
  measureLag(listener: (seconds: number) => void): void {
    if (!this.link) return;
    this.lagProbe ??= new RelayLagProbe(this.link, this.nodeId.toString('hex'));
    this.lagProbe.listen(listener);
  }

  /** The gateway hands over how to reach this node's own clients of a document. */
  attach(emitLocal: (docId: string, message: Uint8Array) => void): void {
    this.emitLocal = emitLocal;
  }

  /** Presence of a client of this node changed: tell the other nodes that hold the room. */
  publishAwareness(docId: string, update: Uint8Array): void {
    this.publish(docId, 'awareness', update);
  }

  async loading(docId: string): Promise<void> {
    const link = this.link;
    if (!link) return;
    this.gates.get(docId)?.();
    const gate = new Promise<void>((open) => this.gates.set(docId, open));
    this.enqueue(docId, () => gate);
    const subscribed = link.relaySub.subscribe(link.docChannel(docId)).catch(() => undefined);
    // While Redis is down (or too slow to answer) the room opens from storage alone; the
    // reconnection resyncs it. Opening a document never waits on Redis for long.
    if (link.relaySub.status === 'ready') {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([subscribed, new Promise((r) => (timer = setTimeout(r, SUBSCRIBE_WAIT_MS)))]);
      clearTimeout(timer);
    }
  }

  opened(room: Room): void {
    this.openGate(room.docId);
    this.publish(room.docId, 'hello', NOTHING);
  }

  closed(docId: string): void {
    this.openGate(docId);
    if (this.link && !this.rooms.get(docId)) void this.link.relaySub.unsubscribe(this.link.docChannel(docId)).catch(() => undefined);
  }

  stored(room: Room, update: Uint8Array): void {
    this.publish(room.docId, 'update', update);
  }

  /** This node is shutting down: the other nodes drop the presence of its clients now, not after the 30 s timeout. */
  farewell(): void {
    if (!this.link) return;
    for (const room of this.rooms.all()) {
      const ids = localClients(room);
      if (!ids.length) continue;
      awarenessProtocol.removeAwarenessStates(room.awareness, ids, 'server');
      this.publish(room.docId, 'awareness', awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // After the rooms are closed (gateway) and socket.io's adapter has unsubscribed (dispose).
    this.lagProbe?.stop();
    await this.link?.quit();
  }

  private openGate(docId: string): void {
    this.gates.get(docId)?.();
    this.gates.delete(docId);
  }

  private publish(docId: string, kind: RelayKind, payload: Uint8Array): void {
    const link = this.link;
    if (!link) return;
    const mustArrive = kind === 'update' || kind === 'resync';
    if (link.pub.status !== 'ready') {
      if (mustArrive) this.unpublished.add(docId);
      return;
    }
    link.pub.publish(link.docChannel(docId), encodeRelayMessage(kind, this.nodeId, docId, payload)).catch(() => mustArrive && this.unpublished.add(docId));
  }

  private receive(channel: Buffer, data: Buffer): void {
    const message = decodeRelayMessage(data);
    if (!message || this.nodeId.equals(message.node) || !this.link || channel.toString() !== this.link.docChannel(message.docId)) return;
    this.enqueue(message.docId, () => this.handle(message));
  }

  private enqueue(docId: string, task: () => Promise<void> | void): void {
    const tail = (this.queues.get(docId) ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => this.logger.warn(`relay on ${docId}: ${String(error)}`));
    this.queues.set(docId, tail);
    void tail.then(() => this.queues.get(docId) === tail && this.queues.delete(docId));
  }

  private async handle(message: RelayMessage): Promise<void> {
    const room = this.rooms.get(message.docId);
    if (!room) return;
    switch (message.kind) {
      case 'update':
        return this.applyUpdate(room, message.payload);
      case 'awareness':
        awarenessProtocol.applyAwarenessUpdate(room.awareness, message.payload, RELAYED);
        this.emitLocal?.(room.docId, awarenessMessage(message.payload));
        return;
      case 'resync':
        return this.resync(room.docId);
      case 'hello':
        return this.publishLocalAwareness(room);
    }
  }

  /**
   * An update that builds on something this room lacks (missed while Redis was away) is not
   * applied — it would wait as pending structs and make the room refuse its own clients — the
   * room reloads from PostgreSQL instead, which holds it and what it builds on.
   */
  private async applyUpdate(room: Room, update: Uint8Array): Promise<void> {
    if (missesDependencies(room.doc, update)) return this.resync(room.docId);
    const effective = captureUpdate(room.doc, RELAYED, () => Y.applyUpdate(room.doc, update, RELAYED));
    if (effective) this.emitLocal?.(room.docId, updateMessage(effective));
    if (room.doc.store.pendingStructs || room.doc.store.pendingDs) await this.resync(room.docId);
  }

  /** Applies what PostgreSQL holds to the open room and sends this node's clients what was new. */
  private async resync(docId: string): Promise<void> {
    const { updates } = await this.store.load(docId);
    const room = this.rooms.get(docId);
    if (!room) return;
    const effective = captureUpdate(room.doc, RESYNCED, () =>
      Y.transact(room.doc, () => updates.forEach((u) => Y.applyUpdate(room.doc, u, RESYNCED)), RESYNCED),
    );
    if (effective) this.emitLocal?.(docId, updateMessage(effective));
  }

  /** The presence of the clients connected to this node, for a node that has just opened the room. */
  private publishLocalAwareness(room: Room): void {
    const ids = localClients(room);
    if (ids.length) this.publish(room.docId, 'awareness', awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids));
  }

  private async recover(): Promise<void> {
    const link = this.link;
    if (!link) return;
    const docIds = [...new Set([...[...this.rooms.all()].map((r) => r.docId), ...this.gates.keys()])];
    // The reply means the subscriptions are live again before anything is read from storage.
    if (docIds.length) await link.relaySub.subscribe(...docIds.map((id) => link.docChannel(id)));
    const unpublished = [...this.unpublished];
    this.unpublished.clear();
    for (const docId of unpublished) this.publish(docId, 'resync', NOTHING);
    for (const docId of docIds) {
      this.enqueue(docId, () => this.resync(docId));
      const room = this.rooms.get(docId);
      if (room) this.publishLocalAwareness(room);
    }
    this.logger.log(`resyncing ${docIds.length} open room(s) from PostgreSQL; asked other nodes to resync ${unpublished.length}`);
  }
}

/** The awareness clients announced by this node's sockets (and still known to the room). */
function localClients(room: Room): number[] {
  return [...room.members.values()].flatMap((set) => [...set]).filter((id) => room.awareness.meta.has(id));
}

/** Whether the update starts past what the doc has from some client (a gap in the clock sequence). */
function missesDependencies(doc: Y.Doc, update: Uint8Array): boolean {
  const { from } = Y.parseUpdateMeta(update);
  for (const [client, clock] of from) if (clock > Y.getState(doc.store, client)) return true;
  return false;
}

/** Runs a change and returns what it added to the doc (null: nothing was new). */
function captureUpdate(doc: Y.Doc, origin: symbol, change: () => void): Uint8Array | null {
  let effective: Uint8Array | null = null;
  const capture = (u: Uint8Array, o: unknown) => {
    if (o === origin) effective = effective ? Y.mergeUpdates([effective, u]) : u;
  };
  doc.on('update', capture);
  try {
    change();
  } finally {
    doc.off('update', capture);
  }
  return effective;
}

/** A change that came from another node over socket.io's serverSideEmit: check its shape before trusting it. */
export function isAccessChange(value: unknown): value is AccessChange {
  if (typeof value !== 'object' || value === null) return false;
  const { userId, programId, docId, sessionKey } = value as Record<string, unknown>;
  if (typeof userId === 'string') return programId === null || typeof programId === 'string';
  if (userId !== null) return false;
  if (programId === null) return typeof sessionKey === 'string';
  return typeof programId === 'string' && (docId === null || typeof docId === 'string');
}
