import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { insertedText } from './unsaved-text';

/** A paragraph of the plan's text (the fragment TipTap binds to). */
function paragraph(doc: Y.Doc, text: string): Y.XmlText {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText(text);
  p.insert(0, [t]);
  doc.getXmlFragment('default').push([p]);
  return t;
}

/** Records the doc's local updates from now on: what a page typed and the server did not confirm. */
function recordLocal(doc: Y.Doc): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'server') updates.push(update);
  });
  return updates;
}

/** Another person's change arriving from the server. */
function remote(doc: Y.Doc, change: (other: Y.Doc) => void): void {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(other);
  change(other);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, before), 'server');
}

describe('the text typed and never confirmed', () => {
  it('is nothing when nothing is pending', () => {
    const doc = new Y.Doc();
    paragraph(doc, 'Confirmed.');
    expect(insertedText(doc, [])).toEqual([]);
  });

  it('is the new paragraph, not the confirmed text before it', () => {
    const doc = new Y.Doc();
    paragraph(doc, 'Confirmed.');
    const pending = recordLocal(doc);
    paragraph(doc, 'Typed as access went.');
    expect(insertedText(doc, pending)).toEqual(['Typed as access went.']);
  });

  it('is only the words added to a confirmed line, even where Yjs merged them into one item', () => {
    const doc = new Y.Doc();
    const line = paragraph(doc, 'Pilot on Monday');
    const pending = recordLocal(doc);
    for (const ch of ', then wave 1') line.insert(line.length, ch);
    expect(line.toString()).toBe('Pilot on Monday, then wave 1');
    expect(insertedText(doc, pending)).toEqual([', then wave 1']);
  });

  it('leaves out what someone else wrote meanwhile and what was typed then deleted, in document order', () => {
    const doc = new Y.Doc();
    const first = paragraph(doc, 'One.');
    const pending = recordLocal(doc);
    first.insert(4, ' Mine A.');
    remote(doc, (other) => {
      const t = new Y.XmlText('Theirs.');
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [t]);
      other.getXmlFragment('default').push([p]);
    });
    const mine = paragraph(doc, 'Mine B, oops.');
    mine.delete(6, 6);
    expect(mine.toString()).toBe('Mine B.');
    expect(insertedText(doc, pending)).toEqual([' Mine A.', 'Mine B.']);
  });

  it('finds text in nested shared types (a retro card)', () => {
    const doc = new Y.Doc();
    const cards = doc.getMap('retro').set('cards', new Y.Map<Y.Map<unknown>>());
    const pending = recordLocal(doc);
    const card = new Y.Map<unknown>();
    cards.set('c1', card);
    card.set('text', new Y.Text('More pairing on the pilot'));
    expect(insertedText(doc, pending)).toEqual(['More pairing on the pilot']);
  });
});
