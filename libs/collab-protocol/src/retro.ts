import { uuidv4 } from 'lib0/random';
import * as Y from 'yjs';

/**
 * The structured part of a retro, in the same Y.Doc as its text (the Y.Map `retro`), shared by
 * the web board and the api (initialisation, export, converting action items):
 *
 *   retro.columns: Y.Array<Y.Map { id, title }>
 *   retro.cards:   Y.Map<cardId, Y.Map { id, columnId, text: Y.Text | string, authorId,
 *                  votes: Y.Map<userId, true>, createdAt (ms), groupId?, actionItem?,
 *                  link?: { type: 'milestone' | 'checklist_item', id } }>
 *
 * Every card is its own Y.Map, so two people editing different cards (or the text and the votes
 * of one card) never overwrite each other. Readers must not trust the shape: any client may have
 * written anything, so `readBoard` skips what does not fit instead of throwing. The board is set
 * up once, by the server when the retro is created (two clients creating `columns` or `cards` at
 * the same moment would each write their own map under the same key, and one would win).
 */

export const RETRO_MAP = 'retro';
export const DEFAULT_RETRO_COLUMNS: readonly string[] = ['Went well', 'To improve', 'Action items'];
export const CARD_LINK_TYPES = ['milestone', 'checklist_item'] as const;
export type CardLinkType = (typeof CARD_LINK_TYPES)[number];

export interface CardLink {
  type: CardLinkType;
  id: string;
}

export interface RetroColumn {
  id: string;
  title: string;
}

export interface RetroCard {
  id: string;
  columnId: string;
  text: string;
  authorId: string;
  /** ids of the people who voted, sorted */
  votes: string[];
  createdAt: number;
  groupId: string | null;
  actionItem: boolean;
  link: CardLink | null;
}

export interface RetroBoard {
  columns: RetroColumn[];
  /** oldest first */
  cards: RetroCard[];
}

type YCard = Y.Map<unknown>;

export const retroMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(RETRO_MAP);

function columnsArray(doc: Y.Doc): Y.Array<unknown> | null {
  const columns = retroMap(doc).get('columns');
  return columns instanceof Y.Array ? columns : null;
}

function cardsMap(doc: Y.Doc, create: boolean): Y.Map<unknown> | null {
  const retro = retroMap(doc);
  const cards = retro.get('cards');
  if (cards instanceof Y.Map) return cards;
  if (!create) return null;
  const fresh = new Y.Map<unknown>();
  retro.set('cards', fresh);
  return fresh;
}

/**
 * Sets up the board's columns unless it already has some (so calling it twice, or on a board a
 * client already set up, changes nothing). Returns the column ids in order.
 */
export function initRetro(doc: Y.Doc, titles: readonly string[] = DEFAULT_RETRO_COLUMNS): string[] {
  const existing = columnsArray(doc);
  if (existing && existing.length) return readColumns(existing).map((c) => c.id);
  const ids = titles.map(() => uuidv4());
  doc.transact(() => {
    const columns = new Y.Array<Y.Map<unknown>>();
    columns.push(titles.map((title, i) => new Y.Map<unknown>([['id', ids[i]], ['title', title]])));
    retroMap(doc).set('columns', columns);
    cardsMap(doc, true);
  });
  return ids;
}

export function addColumn(doc: Y.Doc, title: string): string {
  const id = uuidv4();
  doc.transact(() => {
    let columns = columnsArray(doc);
    if (!columns) {
      columns = new Y.Array<unknown>();
      retroMap(doc).set('columns', columns);
    }
    columns.push([new Y.Map<unknown>([['id', id], ['title', title]])]);
  });
  return id;
}

export interface NewCard {
  columnId: string;
  text: string;
  authorId: string;
  /** defaults to a fresh UUID */
  id?: string;
}

export function addCard(doc: Y.Doc, card: NewCard): string {
  const id = card.id ?? uuidv4();
  doc.transact(() => {
    const text = new Y.Text();
    text.insert(0, card.text);
    const map = new Y.Map<unknown>([
      ['id', id],
      ['columnId', card.columnId],
      ['text', text],
      ['authorId', card.authorId],
      ['votes', new Y.Map<boolean>()],
      ['createdAt', Date.now()],
    ]);
    cardsMap(doc, true)?.set(id, map);
  });
  return id;
}

/** The card's Y.Map, or null when there is no such card (or it is not a map). */
export function getCard(doc: Y.Doc, cardId: string): YCard | null {
  const card = cardsMap(doc, false)?.get(cardId);
  return card instanceof Y.Map ? card : null;
}

export function removeCard(doc: Y.Doc, cardId: string): boolean {
  const cards = cardsMap(doc, false);
  if (!cards?.has(cardId)) return false;
  cards.delete(cardId);
  return true;
}

/** Applies `change` to the card in one transaction; false when the card does not exist. */
function updateCard(doc: Y.Doc, cardId: string, change: (card: YCard) => void): boolean {
  const card = getCard(doc, cardId);
  if (!card) return false;
  doc.transact(() => change(card));
  return true;
}

function votesOf(card: YCard): Y.Map<unknown> {
  const votes = card.get('votes');
  if (votes instanceof Y.Map) return votes;
  const fresh = new Y.Map<unknown>();
  card.set('votes', fresh);
  return fresh;
}

/** One vote per person: voting twice is the same as voting once. */
export const vote = (doc: Y.Doc, cardId: string, userId: string): boolean => updateCard(doc, cardId, (card) => votesOf(card).set(userId, true));

export const unvote = (doc: Y.Doc, cardId: string, userId: string): boolean => updateCard(doc, cardId, (card) => votesOf(card).delete(userId));

export const moveCard = (doc: Y.Doc, cardId: string, columnId: string): boolean => updateCard(doc, cardId, (card) => card.set('columnId', columnId));

/** What turns `before` into `after`: the units [from, to) of `before` give way to `insert`. */
interface TextChange {
  from: number;
  to: number;
  insert: string;
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The one stretch where two strings differ (common start and end left out), never cutting a
 * character made of two UTF-16 units: two people changing one emoji each would otherwise each
 * replace half of it.
 */
function textChange(before: string, after: string): TextChange {
  const most = Math.min(before.length, after.length);
  let start = 0;
  while (start < most && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < most - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && isLow(before.charCodeAt(before.length - end))) end--;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

/**
 * Saves a card's text from a text box. Only what the person changed is written, so that someone
 * else's change to another part of the card, saved at the same moment, is kept beside it (writing
 * the whole text would put both whole texts one after the other). `opened` is the text the box
 * started from: what others saved since then is kept too, unless they changed the same words,
 * where this save wins. Without it, the change is worked out against the card's text now.
 */
export function setCardText(doc: Y.Doc, cardId: string, text: string, opened?: string): boolean {
  return updateCard(doc, cardId, (card) => {
    const current = card.get('text');
    if (!(current instanceof Y.Text)) {
      const fresh = new Y.Text();
      fresh.insert(0, text);
      card.set('text', fresh);
      return;
    }
    const now = current.toString();
    let change = textChange(opened ?? now, text);
    if (opened !== undefined && opened !== now) {
      const theirs = textChange(opened, now);
      const shift = theirs.insert.length - (theirs.to - theirs.from);
      if (change.to <= theirs.from) {
        // before their change: the same place in the text now
      } else if (change.from >= theirs.to) change = { ...change, from: change.from + shift, to: change.to + shift };
      else change = textChange(now, text);
    }
    if (change.to > change.from) current.delete(change.from, change.to - change.from);
    if (change.insert) current.insert(change.from, change.insert);
  });
}

/**
 * Puts the cards in one group, named by `groupId` (default: the first card's id). Cards that do
 * not exist are skipped; returns the group id, or null when no card was grouped.
 */
export function groupCards(doc: Y.Doc, cardIds: readonly string[], groupId?: string): string | null {
  const present = cardIds.filter((id) => getCard(doc, id));
  const group = groupId ?? present[0];
  if (!group) return null;
  doc.transact(() => present.forEach((id) => getCard(doc, id)?.set('groupId', group)));
  return group;
}

export const ungroupCard = (doc: Y.Doc, cardId: string): boolean => updateCard(doc, cardId, (card) => card.delete('groupId'));

export const markActionItem = (doc: Y.Doc, cardId: string, actionItem = true): boolean =>
  updateCard(doc, cardId, (card) => (actionItem ? card.set('actionItem', true) : card.delete('actionItem')));

/** Records what an action item became in the plan; the card stays an action item. */
export const linkCard = (doc: Y.Doc, cardId: string, link: CardLink): boolean =>
  updateCard(doc, cardId, (card) => {
    card.set('actionItem', true);
    card.set('link', { type: link.type, id: link.id });
  });

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function readColumns(columns: Y.Array<unknown>): RetroColumn[] {
  const out: RetroColumn[] = [];
  for (const column of columns.toArray()) {
    if (!(column instanceof Y.Map)) continue;
    const id = str(column.get('id'));
    if (id) out.push({ id, title: str(column.get('title')) ?? '' });
  }
  return out;
}

function readLink(value: unknown): CardLink | null {
  if (typeof value !== 'object' || value === null) return null;
  const { type, id } = value as { type?: unknown; id?: unknown };
  return (CARD_LINK_TYPES as readonly unknown[]).includes(type) && typeof id === 'string' ? { type: type as CardLinkType, id } : null;
}

export function readCard(card: YCard, key: string): RetroCard {
  const id = str(card.get('id')) ?? key;
  const text = card.get('text');
  const votes = card.get('votes');
  const createdAt = card.get('createdAt');
  return {
    id,
    columnId: str(card.get('columnId')) ?? '',
    text: text instanceof Y.Text ? text.toString() : (str(text) ?? ''),
    authorId: str(card.get('authorId')) ?? '',
    votes: votes instanceof Y.Map ? [...votes.entries()].filter(([, v]) => v === true).map(([k]) => k).sort() : [],
    createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
    groupId: str(card.get('groupId')),
    actionItem: card.get('actionItem') === true,
    link: readLink(card.get('link')),
  };
}

/** The board as plain JSON (for rendering and exports); shapes that do not fit are skipped. */
export function readBoard(doc: Y.Doc): RetroBoard {
  const columns = columnsArray(doc);
  const cards: RetroCard[] = [];
  for (const [key, card] of cardsMap(doc, false)?.entries() ?? []) {
    if (card instanceof Y.Map) cards.push(readCard(card, key));
  }
  cards.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { columns: columns ? readColumns(columns) : [], cards };
}

/** True when the doc has a board (columns or cards): plans have none. */
export function hasBoard(doc: Y.Doc): boolean {
  const board = readBoard(doc);
  return board.columns.length > 0 || board.cards.length > 0;
}
