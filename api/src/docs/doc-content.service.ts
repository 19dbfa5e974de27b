import { Injectable } from '@nestjs/common';
import { updateMessage } from '@tandem/collab-protocol';
import type * as Y from 'yjs';
import { CollabGateway } from '../collab/collab.gateway';
import { DocStore } from '../collab/doc-store';
import { RoomsService } from '../collab/rooms.service';

/**
 * The REST side's way into a document's Yjs content: read what PostgreSQL holds, and make
 * server-side edits that open editors see at once and that are stored like any client's edit.
 */
@Injectable()
export class DocContent {
  constructor(private readonly rooms: RoomsService, private readonly store: DocStore, private readonly gateway: CollabGateway) {}

  /**
   * The stored state. When the room is open on this node, everything it has accepted is committed
   * first, so the answer includes every edit this node has shown to anyone.
   */
  async storedState(docId: string): Promise<Uint8Array> {
    if (this.rooms.get(docId)) await this.store.append(docId, null);
    return this.store.loadState(docId);
  }

  /**
   * Applies `change` as a new edit (collaborators keep working on top of it), resolves once it is
   * committed, and sends it to the open editors. A room opened only for this edit is released
   * again, so memory still follows open documents.
   */
  async edit(docId: string, change: (doc: Y.Doc) => void): Promise<void> {
    const { room, update } = await this.rooms.edit(docId, change);
    if (update) this.gateway.broadcast(docId, updateMessage(update));
    if (room.members.size === 0) await this.rooms.release(room);
  }
}
