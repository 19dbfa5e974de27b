import { describe, expect, it } from 'vitest';
import { addCard, getCard, initRetro, linkCard, readBoard, readDocument, setCardText, vote, writeDocument, type DocNode } from '@tandem/collab-protocol';
import * as Y from 'yjs';
import { alignment, replaceContent } from './restore';

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

  /** A copy of `doc` (another replica, or a version saved from it). */
  const copyOf = (doc: Y.Doc): Y.Doc => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    return copy;
  };
  /** Restores `version` into `live` and returns the one update it made (null: none). */
  const restore = (live: Y.Doc, version: Y.Doc): Uint8Array | null => {
    let update: Uint8Array | null = null;
    const keep = (u: Uint8Array) => (update = u);
    live.on('update', keep);
    live.transact(() => replaceContent(live, version));
    live.off('update', keep);
    return update;
  };
  const paragraph = (doc: Y.Doc, i: number) => doc.getXmlFragment('default').get(i) as Y.XmlElement;

  it('keeps what a collaborator typed meanwhile in a paragraph the restore leaves as it is', () => {
    const live = new Y.Doc();
    writeDocument(live, paragraphs('intro', 'scope', 'owners'));
    const version = copyOf(live);
    // After the version: "scope" is rewritten, and a paragraph added at the end.
    paragraph(live, 1).delete(0, 1);
    paragraph(live, 1).insert(0, [new Y.XmlText('new scope')]);
    live.getXmlFragment('default').insert(3, jsonToY(paragraphs('appendix')));
    const replica = copyOf(live);

    const update = restore(live, version)!;
    expect(readDocument(live)).toEqual(readDocument(version));

    // The collaborator typed in "owners" and in "new scope" before the restore reached them.
    (paragraph(replica, 2).get(0) as Y.XmlText).insert(0, 'all ');
    (paragraph(replica, 1).get(0) as Y.XmlText).insert(0, 'lost ');
    Y.applyUpdate(replica, update);
    Y.applyUpdate(live, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(live)));
    const texts = (doc: Y.Doc) => readDocument(doc).content!.map((p) => p.content?.map((t) => t.text).join('') ?? '');
    // "owners" is the same item before and after: the typing survives. "new scope" was replaced.
    expect(texts(live)).toEqual(['intro', 'scope', 'all owners']);
    expect(texts(replica)).toEqual(texts(live));
  });

  it('keeps votes and card edits made meanwhile on cards the restore does not change', () => {
    const live = new Y.Doc();
    const [col] = initRetro(live);
    const same = addCard(live, { columnId: col!, text: 'stays as it is', authorId: 'u' });
    const edited = addCard(live, { columnId: col!, text: 'hello world', authorId: 'u' });
    const version = copyOf(live);
    setCardText(live, edited, 'hello brave new world');
    const replica = copyOf(live);

    const update = restore(live, version)!;
    expect(readBoard(live)).toEqual(readBoard(version));

    vote(replica, same, 'v');
    (getCard(replica, edited)!.get('text') as Y.Text).insert(0, '>> ');
    Y.applyUpdate(replica, update);
    Y.applyUpdate(live, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(live)));
    const cards = readBoard(live).cards;
    expect(cards.find((c) => c.id === same)!.votes).toEqual(['v']);
    // Only the middle of the text that differed was replaced, so an edit before it stays.
    expect(cards.find((c) => c.id === edited)!.text).toBe('>> hello world');
    expect(readBoard(replica)).toEqual(readBoard(live));
  });

  it('changes nothing when the document already has the version\'s content', () => {
    const live = new Y.Doc();
    const [col] = initRetro(live);
    writeDocument(live, paragraphs('one', 'two'));
    const card = addCard(live, { columnId: col!, text: 'card', authorId: 'u' });
    linkCard(live, card, { type: 'milestone', id: 'm' });
    // The version, saved before the link, differs only in what the restore keeps anyway.
    const version = copyOf(live);
    getCard(version, card)!.delete('link');
    getCard(version, card)!.delete('actionItem');
    expect(restore(live, version)).toBeNull();
    expect(readBoard(live).cards[0]!.link).toEqual({ type: 'milestone', id: 'm' });
  });

  it('puts paragraphs in the version\'s order', () => {
    const live = new Y.Doc();
    writeDocument(live, paragraphs('a', 'b', 'c', 'd'));
    const version = new Y.Doc();
    writeDocument(version, paragraphs('d', 'b', 'x', 'a'));
    restore(live, version);
    expect(readDocument(live)).toEqual(readDocument(version));
  });
});

const jsonToY = (nodes: DocNode[]) => {
  const doc = new Y.Doc();
  writeDocument(doc, nodes);
  return doc.getXmlFragment('default').toArray().map((n) => (n as Y.XmlElement).clone());
};

describe('alignment (the longest common subsequence of two lists)', () => {
  it('pairs the items both lists keep, in order', () => {
    expect(alignment(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd'])).toEqual([[0, 0], [2, 2], [3, 3]]);
    expect(alignment(['a', 'b', 'c'], ['c', 'b', 'a'])).toHaveLength(1);
    expect(alignment([], ['a'])).toEqual([]);
    expect(alignment(['p', 'a', 'b', 'q'], ['p', 'b', 'a', 'b', 'q'])).toEqual([[0, 0], [1, 2], [2, 3], [3, 4]]);
  });

  it('keeps what two long lists share when changes are spread all through them', () => {
    // 3,000 × 3,000 is past exact alignment: the unique items anchor it, the gaps are aligned exactly
    const a = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? 'empty' : `p${i}`));
    const b = a.map((key, i) => (i % 100 === 50 ? `changed ${i}` : key));
    const pairs = alignment(a, b);
    expect(pairs).toHaveLength(3000 - 30);
    for (const [i, j] of pairs) expect(a[i]).toBe(b[j]);
    expect(pairs.every(([i, j], k) => k === 0 || (i > pairs[k - 1]![0] && j > pairs[k - 1]![1]))).toBe(true);
  });

  it('keeps the common ends of lists too long to align in the middle', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`);
    const b = ['a0', ...Array.from({ length: 3000 }, (_, i) => `b${i}`), 'a2999'];
    expect(alignment(a, b)).toEqual([[0, 0], [2999, 3001]]);
  });
});
