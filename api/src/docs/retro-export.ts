import { NODES, type CardLink, type DocNode, type RetroBoard, type RetroCard } from '@tandem/collab-protocol';

/**
 * A retro board as document nodes, so the Markdown and HTML renderers (and their escaping) do
 * the rest: a section per column with its cards (votes, groups nested under their first card),
 * then the action items with what each became in the plan.
 */

/** The title of each linked milestone or checklist item, by id, when it still exists. */
export type LinkTitles = ReadonlyMap<string, string>;

const text = (value: string, italic = false): DocNode => (italic ? { type: NODES.text, text: value, marks: [{ type: 'italic' }] } : { type: NODES.text, text: value });
const heading = (level: number, title: string): DocNode => ({ type: NODES.heading, attrs: { level }, content: [text(title)] });
const item = (content: DocNode[], nested: DocNode[] = []): DocNode => ({
  type: NODES.listItem,
  content: [{ type: NODES.paragraph, content }, ...(nested.length ? [{ type: NODES.bulletList, content: nested }] : [])],
});

const LINK_LABEL: Record<CardLink['type'], string> = { milestone: 'milestone', checklist_item: 'checklist item' };

/** "milestone “Title”", or "milestone (removed)" when it no longer exists. */
export function linkText(link: CardLink, titles: LinkTitles): string {
  const title = titles.get(link.id);
  return title === undefined ? `${LINK_LABEL[link.type]} (removed)` : `${LINK_LABEL[link.type]} “${title}”`;
}

function cardLine(card: RetroCard, titles: LinkTitles): DocNode[] {
  const notes: string[] = [];
  if (card.votes.length) notes.push(card.votes.length === 1 ? '1 vote' : `${card.votes.length} votes`);
  if (card.actionItem) notes.push(card.link ? `action item → ${linkText(card.link, titles)}` : 'action item');
  return [text(card.text.trim() || '(empty card)'), ...(notes.length ? [text(` — ${notes.join(', ')}`, true)] : [])];
}

/** Cards in one column, each group under its first card (the card the group is named after, if present). */
function columnItems(cards: readonly RetroCard[], titles: LinkTitles): DocNode[] {
  const leaders = new Map<string, RetroCard>();
  for (const card of cards) {
    if (card.groupId && (!leaders.has(card.groupId) || card.id === card.groupId)) leaders.set(card.groupId, card);
  }
  const items: DocNode[] = [];
  for (const card of cards) {
    const leader = card.groupId ? leaders.get(card.groupId) : undefined;
    if (leader && leader !== card) continue;
    const members = leader ? cards.filter((c) => c.groupId === card.groupId && c !== card) : [];
    items.push(item(cardLine(card, titles), members.map((m) => item(cardLine(m, titles)))));
  }
  return items;
}

export function boardNodes(board: RetroBoard, titles: LinkTitles): DocNode[] {
  const out: DocNode[] = [{ type: NODES.horizontalRule }, heading(2, 'Retro board')];
  const known = new Set(board.columns.map((c) => c.id));
  const sections = [
    ...board.columns.map((column) => ({ title: column.title.trim() || 'Untitled column', cards: board.cards.filter((c) => c.columnId === column.id) })),
    { title: 'Other cards', cards: board.cards.filter((c) => !known.has(c.columnId)) },
  ];
  for (const section of sections) {
    if (section.title === 'Other cards' && !section.cards.length) continue;
    out.push(heading(3, section.title));
    out.push(section.cards.length ? { type: NODES.bulletList, content: columnItems(section.cards, titles) } : { type: NODES.paragraph, content: [text('No cards.', true)] });
  }
  const actions = board.cards.filter((c) => c.actionItem);
  out.push(heading(2, 'Action items'));
  out.push(
    actions.length
      ? { type: NODES.bulletList, content: actions.map((c) => item([text(c.text.trim() || '(empty card)'), text(c.link ? ` — ${linkText(c.link, titles)}` : ' — not yet in the plan', true)])) }
      : { type: NODES.paragraph, content: [text('None.', true)] },
  );
  return out;
}
