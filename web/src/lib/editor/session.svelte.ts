/**
 * One open document in the browser: its Y.Doc, a local copy in IndexedDB (so edits survive a
 * reload while offline), and the `/collab` connection through `CollabProvider`. Everything the
 * page shows about it (status, unsaved changes, read-only, who is here) is reactive state here.
 *
 * Start-up order matters. The socket is created without connecting and the provider is attached
 * first; then the IndexedDB copy is loaded; only then does the socket connect. Whatever the
 * local copy holds therefore arrives as a local change the provider counts as not yet saved, and
 * the resync on joining sends everything the server lacks. "Saved" is shown only once the server
 * has confirmed that resync, never because the page merely loaded.
 */
import {
  assignPresenceColors,
  CollabProvider,
  closeWhenOffline,
  connectCollab,
  DOC_FRAGMENT,
  FINAL_REASONS,
  preferredColor,
  readPresenceUser,
  retroMap,
  type CollabSocket,
  type CollabStatus,
  type PresenceClaim,
  type PresenceUser,
  type RefusalReason,
} from '@tandem/collab-protocol';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { insertedText } from './unsaved-text';

export interface Peer {
  id: string;
  name: string;
  /** the colour assigned among the people present (assignPresenceColors) */
  color: string;
  /** this tab */
  self: boolean;
}

const REFUSAL_TEXT: Partial<Record<RefusalReason, string>> = {
  unauthorized: 'Your session has ended. Sign in again to keep editing.',
  not_found: 'This document is not available to you any more.',
  access_revoked: 'Your access to this document was removed.',
  archived: 'This document was archived, so it can no longer be edited.',
  protocol_mismatch: 'This page is out of date. Reload it to keep editing.',
};

const CONNECT_PATIENCE_MS = 4000;

export class DocSession {
  readonly ydoc = new Y.Doc();
  readonly socket: CollabSocket;
  readonly provider: CollabProvider;
  readonly persistence: IndexeddbPersistence;

  status = $state<CollabStatus>('connecting');
  unsaved = $state(0);
  readOnly = $state(false);
  /** the local copy has been read from IndexedDB */
  loaded = $state(false);
  /** the server's copy has arrived at least once in this page */
  synced = $state(false);
  /** the local copy held a document already (so it can be edited before the server answers) */
  hadLocalCopy = $state(false);
  /** the last connection attempt failed (server unreachable) */
  unreachable = $state(false);
  refusal = $state<RefusalReason | null>(null);
  peers = $state<Peer[]>([]);
  /**
   * Changes made in this page (typed, not the local copy read at start nor what the server sent)
   * are among the unsaved ones. A read-only connection never sends them: the page must say so
   * rather than "Up to date" (a document archived while someone typed offline).
   */
  changedHere = $state(false);

  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;
  /** this page's own changes since everything was last confirmed (see `unsavedText`) */
  private pending: Uint8Array[] = [];
  /** what this tab publishes as its awareness `user`: the colour follows the assignment */
  private me: PresenceUser;

  constructor(
    readonly docId: string,
    person: { id: string; name: string },
  ) {
    // `since` ranks who opened the document first: they keep their colour when someone joins.
    this.me = { id: person.id, name: person.name, color: preferredColor(person.id), since: Date.now() };
    this.socket = connectCollab(undefined, { autoConnect: false });
    this.provider = new CollabProvider({ socket: this.socket, docId, doc: this.ydoc });
    // One local copy per person: on a shared computer, the next person to sign in must neither
    // see nor send what the previous one typed and the server never confirmed.
    this.persistence = new IndexeddbPersistence(`tandem-doc-${person.id}-${docId}`, this.ydoc);
    this.provider.awareness.setLocalStateField('user', { ...this.me });

    const refresh = () => this.refresh();
    this.cleanups.push(this.provider.on('status', refresh));
    this.cleanups.push(
      this.provider.on('synced', () => {
        this.synced = true;
        this.refresh();
      }),
    );
    this.cleanups.push(
      this.provider.on('refused', (reason) => {
        this.refusal = reason;
        this.refresh();
      }),
    );
    // The provider's listeners were registered first, so its counts are current when these run.
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider && origin !== this.persistence) {
        this.changedHere = true;
        this.pending.push(update);
        // one update per keystroke while offline: kept merged rather than piling up
        if (this.pending.length > 200) this.pending = [Y.mergeUpdates(this.pending)];
      }
      this.refresh();
    };
    this.ydoc.on('update', onUpdate);
    this.cleanups.push(() => this.ydoc.off('update', onUpdate));
    const onConnect = () => {
      this.stopWaiting();
      this.unreachable = false;
      if (this.refusal && !FINAL_REASONS.has(this.refusal)) this.refusal = null;
      this.refresh();
    };
    const onConnectError = () => {
      this.unreachable = true;
      this.refresh();
    };
    this.socket.on('connect', onConnect);
    this.socket.on('connect_error', onConnectError);
    // A connection that opens and drops before the handshake is no connect_error: the manager's
    // retry says the server could not be reached just the same.
    const manager = this.socket.io;
    manager.on('reconnect_attempt', onConnectError);
    manager.on('error', onConnectError);
    this.socket.on('saved', refresh);
    this.socket.on('access', refresh);
    const onDisconnect = () => {
      this.waitForConnection();
      this.refresh();
    };
    this.socket.on('disconnect', onDisconnect);
    this.cleanups.push(() => {
      this.socket.off('connect', onConnect);
      this.socket.off('connect_error', onConnectError);
      manager.off('reconnect_attempt', onConnectError);
      manager.off('error', onConnectError);
      this.socket.off('saved', refresh);
      this.socket.off('access', refresh);
      this.socket.off('disconnect', onDisconnect);
      this.stopWaiting();
    });
    // Closing or reloading the tab with changes the server has not confirmed: the browser asks
    // first. They are kept in this browser's local copy, but nowhere else until they are sent.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (this.destroyed || this.provider.unsavedChanges === 0) return;
      event.preventDefault();
      event.returnValue = '';
    };
    if (typeof window !== 'undefined') {
      window.addEventListener('beforeunload', onBeforeUnload);
      this.cleanups.push(() => window.removeEventListener('beforeunload', onBeforeUnload));
    }
    this.cleanups.push(closeWhenOffline(this.socket));
    const onAwareness = () => this.readPeers();
    this.provider.awareness.on('change', onAwareness);
    this.cleanups.push(() => this.provider.awareness.off('change', onAwareness));
    this.readPeers();
  }

  /** This tab's presence as it is published now (the caret extension republishes it when it starts). */
  get user(): PresenceUser {
    return { ...this.me };
  }

  /** Loads the local copy, then connects. Resolves once the local copy is in the Y.Doc. */
  async start(): Promise<void> {
    try {
      await this.persistence.whenSynced;
    } catch {
      // IndexedDB can be unavailable (private windows, quota): edit without a local copy.
    }
    if (this.destroyed) return;
    this.hadLocalCopy = this.ydoc.getXmlFragment(DOC_FRAGMENT).length > 0 || retroMap(this.ydoc).size > 0;
    this.loaded = true;
    this.waitForConnection();
    this.socket.connect();
    this.refresh();
  }

  /** True when the server may be asked about the doc's stored state (e.g. to convert a card). */
  get allSaved(): boolean {
    return this.status === 'saved';
  }

  /** Resolves when everything is saved, or after `ms` with false. */
  whenSaved(ms = 5000): Promise<boolean> {
    if (this.provider.status === 'saved') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(false);
      }, ms);
      const stop = this.provider.on('status', (status) => {
        if (status !== 'saved') return;
        clearTimeout(timer);
        stop();
        resolve(true);
      });
    });
  }

  /** A refusal after which this page cannot edit the document again. */
  get finalRefusal(): string | null {
    return this.refusal && FINAL_REASONS.has(this.refusal) ? (REFUSAL_TEXT[this.refusal] ?? 'This document cannot be edited right now.') : null;
  }

  /**
   * What was typed in this page and never confirmed by the server, still in the text: one line
   * per run, to offer when it can no longer be sent (access removed, document archived).
   */
  unsavedText(): string {
    if (this.destroyed || this.unsaved === 0) return '';
    return insertedText(this.ydoc, this.pending).join('\n');
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.provider.destroy();
    this.socket.disconnect();
    void this.persistence.destroy();
    this.provider.awareness.destroy();
    this.ydoc.destroy();
  }

  private waiting: ReturnType<typeof setTimeout> | null = null;

  /**
   * A connection attempt that neither succeeds nor fails (a socket closed before the handshake,
   * a captive portal) only times out after socket.io's 20 s: after a few seconds it is treated
   * as offline, so unsaved changes are not hidden behind "Connecting…".
   */
  private waitForConnection(): void {
    this.stopWaiting();
    this.waiting = setTimeout(() => {
      this.waiting = null;
      if (this.socket.connected || this.destroyed) return;
      this.unreachable = true;
      this.refresh();
    }, CONNECT_PATIENCE_MS);
  }

  private stopWaiting(): void {
    if (this.waiting) clearTimeout(this.waiting);
    this.waiting = null;
  }

  private refresh(): void {
    if (this.destroyed) return;
    this.status = this.provider.status;
    this.unsaved = this.provider.unsavedChanges;
    if (this.unsaved === 0) {
      this.changedHere = false;
      this.pending = [];
    }
    this.readOnly = this.provider.readOnly;
  }

  private readPeers(): void {
    const own = this.ydoc.clientID;
    const present: { clientId: number; user: PresenceUser }[] = [];
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user = readPresenceUser(state);
      if (user) present.push({ clientId, user });
    }
    const claims: PresenceClaim[] = present.map(({ clientId, user }) => ({ clientId, userId: user.id, color: user.color, since: user.since }));
    const colors = assignPresenceColors(claims);
    // Show the colour this person was given: every client computes the same assignment, and
    // publishing it leaves the assignment as it is (no back and forth).
    const mine = colors.get(this.me.id);
    if (mine && mine !== this.me.color && !this.destroyed) {
      this.me = { ...this.me, color: mine };
      this.provider.awareness.setLocalStateField('user', { ...this.me });
    }
    const seen = new Map<string, Peer>();
    for (const { clientId, user } of present) {
      const self = clientId === own;
      const known = seen.get(user.id);
      const color = colors.get(user.id) ?? user.color;
      if (!known || self) seen.set(user.id, { id: user.id, name: user.name, color, self: self || (known?.self ?? false) });
    }
    this.peers = [...seen.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
  }
}
