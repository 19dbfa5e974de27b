import { cloneNode, DOC_FRAGMENT, linkCard, readBoard, RETRO_MAP, type CardLink } from '@tandem/collab-protocol';
import * as Y from 'yjs';

/**
 * Makes `target`'s text and retro board copies of `source`'s (a version), as new content in
 * `target`: deleting and inserting, so it merges with whatever collaborators do meanwhile instead
 * of replacing the document's history. Call it inside one transaction.
 *
 * One thing is not taken from the version: what a card was turned into. A link records a
 * milestone or checklist item that exists in the plan whatever version the text is at, so a card
 * the version still has keeps the link it has now — restoring to before a conversion would
 * otherwise offer the conversion again, and make a second milestone.
 */
export function replaceContent(target: Y.Doc, source: Y.Doc): void {
  const links = new Map<string, CardLink>();
  for (const card of readBoard(target).cards) if (card.link) links.set(card.id, card.link);
  const fragment = target.getXmlFragment(DOC_FRAGMENT);
  const copies = source
    .getXmlFragment(DOC_FRAGMENT)
    .toArray()
    .filter((n): n is Y.XmlElement | Y.XmlText => n instanceof Y.XmlElement || n instanceof Y.XmlText)
    .map(cloneNode);
  fragment.delete(0, fragment.length);
  fragment.insert(0, copies);
  const retro = target.getMap<unknown>(RETRO_MAP);
  const from = source.getMap<unknown>(RETRO_MAP);
  for (const key of [...retro.keys()]) if (!from.has(key)) retro.delete(key);
  from.forEach((value, key) => retro.set(key, value instanceof Y.AbstractType ? value.clone() : value));
  for (const card of readBoard(target).cards) {
    const link = links.get(card.id);
    if (link && !card.link) linkCard(target, card.id, link);
  }
}
