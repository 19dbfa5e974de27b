import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Room } from './room';

function editedDoc(text: string): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}

const stateOf = (room: Room) => Buffer.from(Y.encodeStateAsUpdate(room.doc)).toString('hex');

describe('Room.apply', () => {
  it('applies a good update and reports exactly what was new', () => {
    const room = new Room('d', 'p', [], 0);
    const { update } = editedDoc('hello');
    const first = room.apply(update, 'a');
    expect(first.ok && first.effective !== null).toBe(true);
    expect(room.doc.getText('t').toString()).toBe('hello');
    const again = room.apply(update, 'a');
    expect(again).toMatchObject({ ok: true, effective: null });
  });

  it('passes a wholly new update on as received, and of a partly known one only the new part', () => {
    const room = new Room('d', 'p', [], 0);
    const client = new Y.Doc();
    client.getText('t').insert(0, 'hello');
    const first = Y.encodeStateAsUpdate(client);
    const applied = room.apply(first, 'a');
    expect(applied.ok && applied.effective).toBe(first);

    // The client resends what the room has together with something new (as after a reconnect).
    client.getText('t').insert(5, ' world');
    client.getMap('m').set('k', 1);
    const both = Y.encodeStateAsUpdate(client);
    const result = room.apply(both, 'a');
    if (!result.ok || !result.effective) throw new Error('expected a change');
    expect(result.effective).not.toBe(both);
    expect(result.effective.length).toBeLessThan(both.length);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, first);
    Y.applyUpdate(peer, result.effective);
    expect(peer.getText('t').toString()).toBe('hello world');
    expect(peer.getMap('m').get('k')).toBe(1);
  });

  it('refuses garbage, the yjs#479 payload and an empty buffer without touching the doc', () => {
    const room = new Room('d', 'p', [editedDoc('keep').update], 0);
    const before = stateOf(room);
    for (const bad of [Buffer.from('garbagedoc', 'base64'), new Uint8Array(), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff])]) {
      expect(room.apply(bad, 'x')).toMatchObject({ ok: false, reason: 'undecodable', tainted: false });
    }
    expect(stateOf(room)).toBe(before);
  });

  it('refuses an update whose predecessors the doc does not have', () => {
    const { doc } = editedDoc('hello');
    const sv = Y.encodeStateVector(doc);
    doc.getText('t').insert(5, ' world');
    const room = new Room('d', 'p', [], 0);
    expect(room.apply(Y.encodeStateAsUpdate(doc, sv), 'x')).toMatchObject({ ok: false, reason: 'missing_dependencies', tainted: false });
    expect(room.doc.getText('t').toString()).toBe('');
  });

  it('never changes the doc for truncated or bit-flipped updates unless it says so (property)', () => {
    const base = editedDoc('The quick brown fox');
    const next = new Y.Doc();
    Y.applyUpdate(next, base.update);
    const sv = Y.encodeStateVector(next);
    next.getText('t').delete(4, 6);
    next.getText('t').insert(4, 'slow ');
    next.getMap('m').set('k', 'v');
    const good = Y.encodeStateAsUpdate(next, sv);
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.nat(7), fc.boolean(), (at, bit, truncate) => {
        const room = new Room('d', 'p', [base.update], 0);
        const before = stateOf(room);
        const bad = truncate ? good.slice(0, at) : Uint8Array.from(good, (b, i) => (i === at ? b ^ (1 << bit) : b));
        const result = room.apply(bad, 'x');
        if (!result.ok && !result.tainted) expect(stateOf(room)).toBe(before);
        // The room itself remembers a refusal that reached its doc (compaction must not fold it).
        expect(room.tainted).toBe(!result.ok && result.tainted);
      }),
      { numRuns: 300 },
    );
  });
});
