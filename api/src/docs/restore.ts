import { cloneNode, DOC_FRAGMENT, RETRO_MAP } from '@tandem/collab-protocol';
import * as Y from 'yjs';

/**
 * Makes `target`'s text and retro board copies of `source`'s (a version), as new content in
 * `target`: deleting and inserting, so it merges with whatever collaborators do meanwhile instead
 * of replacing the document's history. Call it inside one transaction.
 */
export function replaceContent(target: Y.Doc, source: Y.Doc): void {
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
}
