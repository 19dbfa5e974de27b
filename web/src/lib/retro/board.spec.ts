import { addCard, getCard, groupCards, initRetro, moveCard, removeCard, vote } from '@tandem/collab-protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardState, columnRuns, snapshotCard } from './board.svelte';

describe('the retro board state', () => {
  it('re-reads the board on every change to the Y.Doc', () => {
    const doc = new Y.Doc();
    const [went] = initRetro(doc);
    const state = new BoardState(doc);
    expect(state.board.columns.map((c) => c.title)).toEqual(['Went well', 'To improve', 'Action items']);
    const id = addCard(doc, { columnId: went!, text: 'Good pilot', authorId: 'u1' });
    vote(doc, id, 'u2');
    expect(state.board.cards).toMatchObject([{ id, text: 'Good pilot', votes: ['u2'] }]);
    state.destroy();
    removeCard(doc, id);
    expect(state.board.cards).toHaveLength(1);
  });

  it('gathers a group where its first card is, and shows a group of one as a single card', () => {
    const doc = new Y.Doc();
    const [a, b] = initRetro(doc);
    const one = addCard(doc, { columnId: a!, text: 'one', authorId: 'u' });
    const two = addCard(doc, { columnId: a!, text: 'two', authorId: 'u' });
    const three = addCard(doc, { columnId: a!, text: 'three', authorId: 'u' });
    // cards made in the same millisecond sort by id: give them distinct times
    [one, two, three].forEach((id, i) => getCard(doc, id)?.set('createdAt', 1000 + i));
    groupCards(doc, [one, three]);
    const state = new BoardState(doc);
    expect(columnRuns(state.board.cards, a!).map((r) => r.cards.map((c) => c.text))).toEqual([['one', 'three'], ['two']]);
    moveCard(doc, three, b!);
    expect(columnRuns(state.board.cards, a!).map((r) => [r.groupId, r.cards.length])).toEqual([
      [null, 1],
      [null, 1],
    ]);
    expect(snapshotCard(doc, two)).toMatchObject({ text: 'two', columnId: a });
    expect(snapshotCard(doc, 'missing')).toBeNull();
    state.destroy();
  });
});
