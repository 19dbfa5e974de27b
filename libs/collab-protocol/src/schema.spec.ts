import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cloneNode, DOC_FRAGMENT, readDocument, safeHref, writeDocument, type DocNode } from './schema.js';

const sample: DocNode[] = [
  { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Wave 1' }] },
  {
    type: 'paragraph',
    content: [
      { type: 'text', text: 'Go ' },
      { type: 'text', text: 'live', marks: [{ type: 'bold' }] },
      { type: 'hardBreak' },
      { type: 'text', text: 'docs', marks: [{ type: 'link', attrs: { href: 'https://example.com' } }] },
    ],
  },
  { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
];

describe('document schema (y-tiptap layout)', () => {
  it('writes ProseMirror JSON the way y-tiptap does and reads it back', () => {
    const doc = new Y.Doc();
    writeDocument(doc, sample);
    const fragment = doc.getXmlFragment(DOC_FRAGMENT);
    const heading = fragment.get(0) as Y.XmlElement;
    expect(heading.nodeName).toBe('heading');
    expect(heading.getAttribute('level')).toBe(2);
    const paragraph = fragment.get(1) as Y.XmlElement;
    // text runs around the hard break are Y.XmlText with marks as delta attributes
    expect((paragraph.get(0) as Y.XmlText).toDelta()).toEqual([{ insert: 'Go ' }, { insert: 'live', attributes: { bold: {} } }]);
    expect((paragraph.get(1) as Y.XmlElement).nodeName).toBe('hardBreak');
    expect(readDocument(doc)).toEqual({ type: 'doc', content: sample });
  });

  it('strips the hash suffix of overlapping mark names', () => {
    const doc = new Y.Doc();
    const p = new Y.XmlElement('paragraph');
    const t = new Y.XmlText();
    p.insert(0, [t]);
    doc.getXmlFragment(DOC_FRAGMENT).insert(0, [p]);
    t.insert(0, 'x', { 'comment--AbCd12+/': { id: 1 } });
    expect(readDocument(doc).content?.[0]?.content?.[0]?.marks).toEqual([{ type: 'comment', attrs: { id: 1 } }]);
  });

  it('clones content into another document', () => {
    const from = new Y.Doc();
    writeDocument(from, sample);
    const to = new Y.Doc();
    to.getXmlFragment(DOC_FRAGMENT).insert(0, from.getXmlFragment(DOC_FRAGMENT).toArray().map((n) => cloneNode(n as Y.XmlElement)));
    expect(readDocument(to)).toEqual(readDocument(from));
  });

  it('allows only http, https and mailto links', () => {
    expect(safeHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeHref('mailto:qa@example.com')).toBe('mailto:qa@example.com');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref('java\nscript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>')).toBeNull();
    expect(safeHref('/relative')).toBeNull();
    expect(safeHref(42)).toBeNull();
  });
});
