import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  DEFAULT_RETRO_COLUMNS,
  getCard,
  groupCards,
  initRetro,
  linkCard,
  markActionItem,
  moveCard,
  readBoard,
  removeCard,
  retroMap,
  setCardText,
  unvote,
  vote,
} from './retro.js';

/** Two docs linked the way the server links clients: every local update is applied to the other. */
function linkedPair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  return [a, b];
}

/** Two docs that only exchange their states when told to: concurrent edits. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('retro board', () => {
  it('initialises the three default columns once', () => {
    const doc = new Y.Doc();
    const ids = initRetro(doc);
    expect(readBoard(doc).columns.map((c) => c.title)).toEqual([...DEFAULT_RETRO_COLUMNS]);
    expect(initRetro(doc, ['Other'])).toEqual(ids);
    expect(readBoard(doc).columns).toHaveLength(3);
  });

  it('two docs exchanging updates converge on cards, votes, groups and action items', () => {
    const server = new Y.Doc();
    const [wentWell, toImprove] = initRetro(server);
    const a = new Y.Doc();
    const b = new Y.Doc();
    Y.applyUpdate(a, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(server));

    // Concurrent edits on both sides before they hear of each other.
    const c1 = addCard(a, { columnId: wentWell!, text: 'Pilot went live on time', authorId: 'ann' });
    const c2 = addCard(b, { columnId: toImprove!, text: 'Training came late', authorId: 'bob' });
    sync(a, b);
    vote(a, c2, 'ann');
    vote(b, c2, 'bob');
    vote(b, c1, 'bob');
    vote(b, c1, 'bob');
    markActionItem(a, c2);
    setCardText(b, c2, 'Training material came late');
    sync(a, b);
    const c3 = addCard(a, { columnId: toImprove!, text: 'No sandbox', authorId: 'ann' });
    sync(a, b);
    groupCards(b, [c2, c3]);
    unvote(a, c1, 'bob');
    linkCard(a, c3, { type: 'milestone', id: 'm-1' });
    sync(a, b);

    const board = readBoard(a);
    expect(readBoard(b)).toEqual(board);
    // cards made in the same millisecond have no order between them: find them by id
    const [first, second, third] = [c1, c2, c3].map((id) => board.cards.find((c) => c.id === id));
    expect([first?.text, second?.text, third?.text]).toEqual(['Pilot went live on time', 'Training material came late', 'No sandbox']);
    expect(first?.votes).toEqual([]);
    expect(second).toMatchObject({ columnId: toImprove, votes: ['ann', 'bob'], actionItem: true, groupId: c2 });
    expect(third).toMatchObject({ groupId: c2, actionItem: true, link: { type: 'milestone', id: 'm-1' } });
  });

  it('keeps both edits when two people type into the same card at once', () => {
    const [a, b] = linkedPair();
    const [col] = initRetro(a);
    const id = addCard(a, { columnId: col!, text: 'Go-live', authorId: 'ann' });
    const solo = new Y.Doc();
    Y.applyUpdate(solo, Y.encodeStateAsUpdate(b));
    (getCard(a, id)?.get('text') as Y.Text).insert(7, ' checklist');
    (getCard(solo, id)?.get('text') as Y.Text).insert(0, 'Wave 1 ');
    sync(solo, b);
    expect(readBoard(a).cards[0]?.text).toBe('Wave 1 Go-live checklist');
    expect(readBoard(solo)).toEqual(readBoard(a));
  });

  describe('saving a card edited in a text box (setCardText)', () => {
    /** A card both sides hold, then two replicas that hear of each other only when synced. */
    function cardOnTwoSides(text: string): { a: Y.Doc; b: Y.Doc; id: string } {
      const a = new Y.Doc();
      const [col] = initRetro(a);
      const id = addCard(a, { columnId: col!, text, authorId: 'ann' });
      const b = new Y.Doc();
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
      return { a, b, id };
    }
    const textOf = (doc: Y.Doc, id: string) => readBoard(doc).cards.find((c) => c.id === id)?.text;

    it('keeps both wordings when two people save the same card at the same moment', () => {
      const { a, b, id } = cardOnTwoSides('Agents liked the scorecard');
      setCardText(a, id, 'Agents liked the new scorecard', 'Agents liked the scorecard');
      setCardText(b, id, 'Agents liked the scorecard a lot', 'Agents liked the scorecard');
      sync(a, b);
      // not both whole texts one after the other
      expect(textOf(a, id)).toBe('Agents liked the new scorecard a lot');
      expect(textOf(b, id)).toBe(textOf(a, id));
    });

    it('does not take back what someone else saved while the text box was open', () => {
      const { a, b, id } = cardOnTwoSides('Calibration sheet in English');
      const opened = 'Calibration sheet in English';
      setCardText(a, id, 'Calibration sheet only in English', opened);
      sync(a, b);
      // b's text box still holds the text as it was when it opened
      setCardText(b, id, 'Calibration sheet in English (FR needed)', opened);
      sync(a, b);
      expect(textOf(a, id)).toBe('Calibration sheet only in English (FR needed)');
      // saved unchanged: nothing happens to the other person's words
      setCardText(b, id, opened, opened);
      expect(textOf(b, id)).toBe('Calibration sheet only in English (FR needed)');
    });

    it('lets the later save win where both changed the same words', () => {
      const { a, b, id } = cardOnTwoSides('Ship the sheet on Monday');
      const opened = 'Ship the sheet on Monday';
      setCardText(a, id, 'Ship the sheet on Tuesday', opened);
      sync(a, b);
      setCardText(b, id, 'Ship the sheet on Friday', opened);
      sync(a, b);
      expect(textOf(a, id)).toBe('Ship the sheet on Friday');
      expect(textOf(b, id)).toBe('Ship the sheet on Friday');
    });

    it('never splits a character made of two UTF-16 units', () => {
      // 🚀 🚁 🛸 share their first unit: changing only the second would leave halves of characters
      const { a, b, id } = cardOnTwoSides('Pilot 🚀 done');
      setCardText(a, id, 'Pilot 🚁 done', 'Pilot 🚀 done');
      setCardText(b, id, 'Pilot 🛸 done', 'Pilot 🚀 done');
      sync(a, b);
      const text = textOf(a, id) ?? '';
      expect(text).toBe(textOf(b, id));
      expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      expect(['Pilot 🚁🛸 done', 'Pilot 🛸🚁 done']).toContain(text);
    });
  });

  it('moves and removes cards, and reports cards that do not exist', () => {
    const doc = new Y.Doc();
    const [col1, col2] = initRetro(doc);
    const id = addCard(doc, { columnId: col1!, text: 'x', authorId: 'u' });
    expect(moveCard(doc, id, col2!)).toBe(true);
    expect(readBoard(doc).cards[0]?.columnId).toBe(col2);
    expect(vote(doc, 'missing', 'u')).toBe(false);
    expect(groupCards(doc, ['missing'])).toBeNull();
    expect(removeCard(doc, id)).toBe(true);
    expect(readBoard(doc).cards).toEqual([]);
  });

  it('reads a board written by a careless or hostile client without throwing', () => {
    const doc = new Y.Doc();
    const retro = retroMap(doc);
    retro.set('columns', new Y.Array());
    (retro.get('columns') as Y.Array<unknown>).push(['not a map', new Y.Map([['title', 'no id']]), new Y.Map([['id', 'c'], ['title', 7]])]);
    const cards = new Y.Map<unknown>();
    retro.set('cards', cards);
    cards.set('junk', 'string');
    cards.set('k', new Y.Map<unknown>([['text', 'plain string'], ['votes', 'nope'], ['link', { type: 'javascript', id: 1 }], ['createdAt', 'x']]));
    expect(readBoard(doc)).toEqual({
      columns: [{ id: 'c', title: '' }],
      cards: [{ id: 'k', columnId: '', text: 'plain string', authorId: '', votes: [], createdAt: 0, groupId: null, actionItem: false, link: null }],
    });
  });
});
