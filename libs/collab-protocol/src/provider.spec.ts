import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateMessage } from './messages.js';
import { CollabProvider, type CollabSocket } from './provider.js';

/**
 * The provider's bookkeeping around applying a server update (its `update` listener is set aside
 * for the apply). The wire itself is tested against the real server in api/test/collab*.spec.ts;
 * here a socket stand-in only delivers `y` events and records what the provider emits.
 */
function fakeSocket() {
  const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  const emitted: [string, ...unknown[]][] = [];
  const socket = {
    connected: true,
    active: true,
    on(event: string, f: (...args: unknown[]) => void) {
      handlers.set(event, [...(handlers.get(event) ?? []), f]);
      return socket;
    },
    off(event: string, f: (...args: unknown[]) => void) {
      handlers.set(event, (handlers.get(event) ?? []).filter((g) => g !== f));
      return socket;
    },
    once() {
      return socket;
    },
    emit(event: string, ...args: unknown[]) {
      emitted.push([event, ...args]);
      // join: the server accepts, read-write
      if (event === 'join') (args[1] as (ack: unknown) => void)({ ok: true, readOnly: false });
      return socket;
    },
    deliver(event: string, ...args: unknown[]) {
      for (const f of handlers.get(event) ?? []) f(...args);
    },
  };
  return { socket, emitted };
}

/** A remote change to the provider's document, as the server would send it. */
function remoteSet(doc: Y.Doc, key: string): Uint8Array {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(other);
  other.getMap('m').set(key, key);
  return updateMessage(Y.encodeStateAsUpdate(other, before));
}

const listeners = (doc: Y.Doc) => (doc as unknown as { _observers: Map<string, Set<unknown>> })._observers.get('update');

describe('CollabProvider applying a server update', () => {
  it('keeps an update listener that an observer added during the apply', () => {
    const { socket } = fakeSocket();
    const doc = new Y.Doc();
    const provider = new CollabProvider({ socket: socket as unknown as CollabSocket, docId: 'd', doc });
    const heard: Uint8Array[] = [];
    const late = (u: Uint8Array) => heard.push(u);
    doc.getMap('m').observe(() => doc.on('update', late));
    socket.deliver('y', 'd', remoteSet(doc, 'a'));
    expect(doc.getMap('m').get('a')).toBe('a');
    expect(listeners(doc)?.has(late)).toBe(true);
    // as without the set-aside: it hears the update being applied, then the next local one
    expect(heard).toHaveLength(1);
    doc.getMap('m').set('local', 1);
    expect(heard).toHaveLength(2);
    provider.destroy();
  });

  it('does not listen again once destroyed by an observer during the apply', () => {
    const { socket } = fakeSocket();
    const doc = new Y.Doc();
    const provider = new CollabProvider({ socket: socket as unknown as CollabSocket, docId: 'd', doc });
    doc.getMap('m').observe(() => provider.destroy());
    socket.deliver('y', 'd', remoteSet(doc, 'a'));
    expect(listeners(doc)).toBeUndefined();
  });

  it('still has Yjs encode a server update for another update listener', () => {
    const { socket } = fakeSocket();
    const doc = new Y.Doc();
    const provider = new CollabProvider({ socket: socket as unknown as CollabSocket, docId: 'd', doc });
    const heard: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => heard.push(origin));
    socket.deliver('y', 'd', remoteSet(doc, 'a'));
    expect(heard).toEqual([provider]);
    provider.destroy();
  });
});
