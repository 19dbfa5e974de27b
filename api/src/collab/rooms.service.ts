import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import * as Y from 'yjs';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Doc } from '../docs/doc.entity';
import { DocStore } from './doc-store';
import { Room } from './room';

/**
 * What another part of the node (the relay to other nodes) hears about rooms. Every method is
 * optional; several listeners may be registered.
 */
export interface RoomListener {
  /** awaited after the document is known to exist and before its stored state is read */
  loading?(docId: string): Promise<void>;
  opened?(room: Room): void;
  /** the room left memory: released, or it failed to load */
  closed?(docId: string): void;
  /** a change accepted into the room is committed to PostgreSQL */
  stored?(room: Room, update: Uint8Array): void;
}

/**
 * The open documents of this node. Memory follows open documents: a room is loaded on first
 * join and unloaded once its last client has left and everything it accepted is stored.
 */
@Injectable()
export class RoomsService {
  private readonly logger = new Logger('Rooms');
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  /** called with (docId, update) for every change accepted into a room, e.g. to relay it */
  onAccepted: ((room: Room, update: Uint8Array) => void) | null = null;
  /** awaited after a room was released (its log compacted), e.g. for the daily automatic version */
  onReleased: ((docId: string) => Promise<void>) | null = null;
  private readonly listeners: RoomListener[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly store: DocStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  listen(listener: RoomListener): void {
    this.listeners.push(listener);
  }

  get openRooms(): number {
    return this.rooms.size;
  }

  get(docId: string): Room | undefined {
    return this.rooms.get(docId);
  }

  all(): IterableIterator<Room> {
    return this.rooms.values();
  }

  async open(docId: string): Promise<Room> {
    const open = this.rooms.get(docId);
    if (open) return open;
    let loading = this.loading.get(docId);
    if (!loading) {
      loading = this.load(docId).finally(() => this.loading.delete(docId));
      this.loading.set(docId, loading);
    }
    return loading;
  }

  /**
   * Stores an accepted change: resolves once it is committed. Folds the log into the snapshot in
   * the background when it has grown past the threshold.
   */
  async persist(room: Room, effective: Uint8Array | null): Promise<void> {
    if (effective) {
      room.carry?.push(effective);
      room.edited = true;
      room.logRows += 1;
      this.onAccepted?.(room, effective);
    }
    await this.store.append(room.docId, effective);
    // Told only after the commit: anything another node hears of is already in PostgreSQL, so a
    // node that missed it (Redis down) finds it when it reloads from storage.
    if (effective) for (const l of this.listeners) l.stored?.(room, effective);
    if (room.logRows >= this.config.collab.compactAfter && !room.compacting) this.compactInBackground(room);
  }

  /**
   * A change made by the server itself (restore a version, link a retro card): applied to the
   * open room (or a temporary one), stored, and returned as an update to broadcast.
   */
  async edit(docId: string, change: (doc: Y.Doc) => void): Promise<{ room: Room; update: Uint8Array | null }> {
    const room = await this.open(docId);
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array, origin: unknown) => {
      if (origin === this) update = u;
    };
    room.doc.on('update', capture);
    try {
      Y.transact(room.doc, () => change(room.doc), this);
    } catch (error) {
      // Yjs keeps what the change applied before it threw; nobody has seen it, so go back to storage.
      room.doc.off('update', capture);
      await this.reload(room);
      throw error;
    } finally {
      room.doc.off('update', capture);
    }
    await this.persist(room, update);
    return { room, update };
  }

  /** After the last client left: wait for its writes, fold the log, then drop it from memory. */
  async release(room: Room): Promise<void> {
    if (room.members.size > 0) return;
    await this.store.append(room.docId, null);
    if (room.logRows > 0 || room.edited) await this.compact(room);
    if (room.members.size === 0 && this.rooms.get(room.docId) === room) {
      this.rooms.delete(room.docId);
      room.destroy();
      for (const l of this.listeners) l.closed?.(room.docId);
    }
    if (this.onReleased) await this.onReleased(room.docId).catch((error: unknown) => this.logger.warn(`after releasing ${room.docId}: ${String(error)}`));
  }

  /**
   * Replaces a room's in-memory doc with what is stored (after a refused update tainted it). Once
   * per room: updates refused while it runs (the tainted doc may refuse several) get the same
   * replacement, so no second new room takes the place of one that already accepted changes.
   */
  reload(room: Room): Promise<Room> {
    room.reloading ??= this.replace(room);
    return room.reloading;
  }

  private async replace(room: Room): Promise<Room> {
    // The room goes on accepting changes while storage is read, and a change's commit may land
    // after the read looked: what it accepts meanwhile is carried over (applying one the read did
    // see again changes nothing), so the new room lacks nothing that was acknowledged.
    room.carry = [];
    let carried: Uint8Array[];
    let stored: { updates: Uint8Array[]; logRows: number };
    try {
      await this.store.append(room.docId, null);
      stored = await this.store.load(room.docId);
    } finally {
      carried = room.carry;
      room.carry = null;
    }
    const fresh = new Room(room.docId, room.programId, [...stored.updates, ...carried], stored.logRows + carried.length);
    fresh.holdsAllStored = false;
    fresh.takeOver(room);
    this.rooms.set(room.docId, fresh);
    room.destroy();
    this.logger.warn(`reloaded ${room.docId} from storage after a refused update`);
    return fresh;
  }

  async closeAll(): Promise<void> {
    await this.store.log.barrier();
    for (const room of [...this.rooms.values()]) {
      if (room.logRows > 0) await this.compact(room).catch(() => undefined);
      room.destroy();
    }
    this.rooms.clear();
  }

  private async load(docId: string): Promise<Room> {
    const doc = await this.em.fork().findOne(Doc, { id: docId }, { fields: ['program', 'archivedAt'] });
    if (!doc) throw new Error(`document ${docId} does not exist`);
    let room: Room;
    try {
      for (const l of this.listeners) await l.loading?.(docId);
      const { updates, logRows } = await this.store.load(docId);
      room = new Room(docId, doc.program.id, updates, logRows);
    } catch (error) {
      for (const l of this.listeners) l.closed?.(docId);
      throw error;
    }
    this.rooms.set(docId, room);
    for (const l of this.listeners) l.opened?.(room);
    return room;
  }

  private compactInBackground(room: Room): void {
    void this.compact(room).catch((error: unknown) => this.logger.warn(`compaction of ${room.docId} failed: ${String(error)}`));
  }

  private async compact(room: Room): Promise<void> {
    if (room.compacting) {
      await room.compacting;
      return;
    }
    // On a single node every row of an open room's log was applied to the room before it was
    // appended (its own clients' updates and the server's edits; nothing else writes the log), so
    // the state of a room loaded from storage is a superset of snapshot + rows: fold that instead
    // of re-reading and re-applying them. Not for a room made by a reload (see holdsAllStored), a
    // tainted or replaced one, nor with other nodes (Redis), whose rows may not have reached it yet.
    const openState = this.config.redisUrl === null ? () => (this.rooms.get(room.docId) === room && room.holdsAllStored && !room.tainted ? Y.encodeStateAsUpdate(room.doc) : null) : undefined;
    const compaction = this.store.compact(room.docId, openState);
    room.compacting = compaction;
    try {
      // Subtract what was folded, not what was counted: rows still being committed when the
      // compaction read the log stay in it, and must count toward the next one.
      const { folded } = await compaction;
      room.logRows = Math.max(0, room.logRows - folded);
      room.edited = false;
    } finally {
      room.compacting = null;
    }
  }
}
