import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { ownPresence } from './presence';

const person = { id: 'u-lena', name: 'Lena Leader' };

/** What an awareness update says, applied to a fresh Awareness. */
function read(update: Uint8Array): Map<number, unknown> {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(null);
  awarenessProtocol.applyAwarenessUpdate(awareness, update, 'test');
  return awareness.getStates();
}

function updateOf(states: Record<number, unknown>): Uint8Array {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  const entries = Object.entries(states);
  for (const [id, state] of entries) awareness.states.set(Number(id), state as Record<string, unknown>);
  for (const [id] of entries) awareness.meta.set(Number(id), { clock: 1, lastUpdated: 0 });
  return awarenessProtocol.encodeAwarenessUpdate(awareness, entries.map(([id]) => Number(id)));
}

describe('presence speaks for its connection only', () => {
  it('gives every state the signed-in person, keeping the rest (colour, caret)', () => {
    const own = ownPresence(updateOf({ 7: { user: { id: 'u-priya', name: 'Priya Manager', color: '#8a1c7c' }, cursor: { anchor: 1 } } }), person, () => false);
    expect(read(own!).get(7)).toEqual({ user: { id: 'u-lena', name: 'Lena Leader', color: '#8a1c7c' }, cursor: { anchor: 1 } });
    expect(read(ownPresence(updateOf({ 8: { cursor: null } }), person, () => false)!).get(8)).toEqual({ cursor: null, user: person });
  });

  it('drops entries for clients another connection announced, and states that are not objects', () => {
    const update = updateOf({ 1: { user: {} }, 2: { user: {} }, 3: 42 });
    const own = ownPresence(update, person, (id) => id === 2);
    expect([...read(own!).keys()]).toEqual([1]);
    expect(ownPresence(updateOf({ 2: { user: {} } }), person, (id) => id === 2)).toBeNull();
  });

  it('throws on bytes that are not an awareness update', () => {
    expect(() => ownPresence(new Uint8Array([5, 1]), person, () => false)).toThrow();
  });
});
