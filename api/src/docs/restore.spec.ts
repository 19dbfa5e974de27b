import { describe, expect, it } from 'vitest';
import { addCard, initRetro, linkCard, readBoard, readDocument, vote, writeDocument, type DocNode } from '@tandem/collab-protocol';
import * as Y from 'yjs';
import { replaceContent } from './restore';

const paragraphs = (...lines: string[]): DocNode[] => lines.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text, marks: [{ type: 'bold' }] }] }));

describe('replaceContent (restoring a version)', () => {
  it('makes the text and the board copies of the version, as an update other replicas merge', () => {
    const live = new Y.Doc();
    const [col] = initRetro(live);
    writeDocument(live, paragraphs('v1'));
    const card = addCard(live, { columnId: col!, text: 'keep me', authorId: 'u' });
    vote(live, card, 'u');
    const version = new Y.Doc();
    Y.applyUpdate(version, Y.encodeStateAsUpdate(live));

    // The document moves on: new text, the card linked, another card.
    writeDocument(live, paragraphs('v2', 'more'));
    linkCard(live, card, { type: 'milestone', id: 'm' });
    addCard(live, { columnId: col!, text: 'later', authorId: 'u' });
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(live));

    const updates: Uint8Array[] = [];
    live.on('update', (u: Uint8Array) => updates.push(u));
    live.transact(() => replaceContent(live, version));
    expect(updates).toHaveLength(1);
    expect(readDocument(live)).toEqual(readDocument(version));
    // the board is the version's, except that the card keeps what it was turned into since
    const restored = readBoard(version);
    const linked = { ...restored, cards: restored.cards.map((c) => (c.id === card ? { ...c, actionItem: true, link: { type: 'milestone', id: 'm' } } : c)) };
    expect(readBoard(live)).toEqual(linked);

    // A replica that edits concurrently still converges with the restored document.
    (replica.getXmlFragment('default').get(0) as Y.XmlElement).insert(0, [new Y.XmlText('concurrent ')]);
    Y.applyUpdate(replica, updates[0]!);
    Y.applyUpdate(live, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(live)));
    expect(readDocument(replica)).toEqual(readDocument(live));
    expect(readBoard(replica)).toEqual(linked);
  });

  it('keeps no link for a card the version does not have', () => {
    const live = new Y.Doc();
    const [col] = initRetro(live);
    const version = new Y.Doc();
    Y.applyUpdate(version, Y.encodeStateAsUpdate(live));
    const card = addCard(live, { columnId: col!, text: 'added after the version', authorId: 'u' });
    linkCard(live, card, { type: 'checklist_item', id: 'i' });
    live.transact(() => replaceContent(live, version));
    expect(readBoard(live)).toEqual(readBoard(version));
  });

  it('clears the board when the version had none', () => {
    const live = new Y.Doc();
    initRetro(live);
    const empty = new Y.Doc();
    live.transact(() => replaceContent(live, empty));
    expect(readBoard(live)).toEqual({ columns: [], cards: [] });
    expect(readDocument(live).content).toEqual([]);
  });
});
