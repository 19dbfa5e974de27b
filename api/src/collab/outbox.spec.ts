import * as awarenessProtocol from 'y-protocols/awareness';
import { decodeMessage } from '@tandem/collab-protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomOutbox, mergeAwarenessUpdates } from './outbox';

interface Sent {
  docId: string;
  message: Uint8Array;
  except: string | null;
}

function outbox(): { box: RoomOutbox; sent: Sent[] } {
  const sent: Sent[] = [];
  return { box: new RoomOutbox((docId, message, except) => sent.push({ docId, message, except })), sent };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Three clients' edits of one document, each as the update it produced. */
function edits(): { updates: Uint8Array[]; expected: Y.Doc } {
  const expected = new Y.Doc();
  const updates: Uint8Array[] = [];
  for (let i = 0; i < 3; i++) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(expected));
    const before = Y.encodeStateVector(doc);
    doc.getText('t').insert(0, `client ${i};`);
    doc.getMap('m').set(`k${i}`, i);
    const update = Y.encodeStateAsUpdate(doc, before);
    Y.applyUpdate(expected, update);
    updates.push(update);
  }
  return { updates, expected };
}

function applied(messages: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const m of messages) {
    const decoded = decodeMessage(m);
    if (decoded.type !== 'update') throw new Error(`expected an update, got ${decoded.type}`);
    Y.applyUpdate(doc, decoded.update);
  }
  return doc;
}

describe('RoomOutbox', () => {
  it('sends the updates of one turn as one message that carries all of them, to the whole room when several sockets sent them', async () => {
    const { box, sent } = outbox();
    const { updates, expected } = edits();
    updates.forEach((u, i) => box.update('doc', u, `socket${i}`));
    expect(sent).toEqual([]);
    await nextTurn();
    expect(sent.map((s) => [s.docId, s.except])).toEqual([['doc', null]]);
    const doc = applied(sent.map((s) => s.message));
    expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(expected));
    await nextTurn();
    expect(sent).toHaveLength(1);
  });

  it('leaves the sender out when one socket sent everything of the turn, and keeps rooms apart', async () => {
    const { box, sent } = outbox();
    const { updates } = edits();
    box.update('a', updates[0] ?? new Uint8Array(), 'one');
    box.update('a', updates[1] ?? new Uint8Array(), 'one');
    box.update('b', updates[2] ?? new Uint8Array(), 'two');
    await nextTurn();
    expect(sent.map((s) => [s.docId, s.except])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
    ]);
  });

  it('flush sends a room at once, before a message that must not overtake it', () => {
    const { box, sent } = outbox();
    const { updates } = edits();
    box.update('a', updates[0] ?? new Uint8Array(), 'one');
    box.flush('a');
    expect(sent).toHaveLength(1);
    box.flush('a');
    expect(sent).toHaveLength(1);
  });

  it('sends presence after the document, merged into one awareness message', async () => {
    const { box, sent } = outbox();
    const states = [1, 2, 3].map((n) => {
      const a = new awarenessProtocol.Awareness(new Y.Doc());
      a.setLocalState({ user: `u${n}`, cursor: n });
      return { n, a, update: awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID]) };
    });
    states.forEach((s, i) => box.awareness('doc', s.update, `socket${i}`));
    box.update('doc', edits().updates[0] ?? new Uint8Array(), 'socket0');
    await nextTurn();
    expect(sent.map((s) => decodeMessage(s.message).type)).toEqual(['update', 'awareness']);
    const last = sent[1];
    const decoded = last ? decodeMessage(last.message) : null;
    if (decoded?.type !== 'awareness') throw new Error('no awareness message');
    const receiver = new awarenessProtocol.Awareness(new Y.Doc());
    awarenessProtocol.applyAwarenessUpdate(receiver, decoded.update, 'test');
    for (const s of states) expect(receiver.getStates().get(s.a.clientID)).toEqual({ user: `u${s.n}`, cursor: s.n });
  });
});

describe('mergeAwarenessUpdates', () => {
  it('refuses anything that is not exactly a list of awareness entries, so nothing malformed is passed on merged', () => {
    const a = new awarenessProtocol.Awareness(new Y.Doc());
    a.setLocalState({ x: 1 });
    const good = awarenessProtocol.encodeAwarenessUpdate(a, [a.clientID]);
    expect(mergeAwarenessUpdates([good, good])).not.toBeNull();
    expect(mergeAwarenessUpdates([good, Uint8Array.from([...good, 0])])).toBeNull();
    expect(mergeAwarenessUpdates([good, good.slice(0, good.length - 2)])).toBeNull();
  });
});
