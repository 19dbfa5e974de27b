import * as Y from 'yjs';

/**
 * The shape of a Tandem document inside its Y.Doc, written once for the web editor and the api
 * (exports, restore). The editor is TipTap 3 with StarterKit bound through @tiptap/y-tiptap to the
 * Y.XmlFragment named `default`. y-tiptap stores:
 *  - every ProseMirror node as a Y.XmlElement whose nodeName is the node type name and whose
 *    attributes are the node's attrs (attrs that are null are left out);
 *  - every run of adjacent text nodes as one Y.XmlText whose delta attributes are the marks:
 *    `{ bold: {} }`, `{ link: { href, target, rel, class } }`. A mark type that may overlap itself
 *    would be stored as `name--<hash>`; StarterKit has none, but readers strip the suffix anyway.
 * The retro board lives beside it in the Y.Map `retro` (see retro.ts).
 */

/** The Y.XmlFragment the editor binds to. */
export const DOC_FRAGMENT = 'default';

/** ProseMirror node type names of TipTap 3 StarterKit, as the web editor uses them. */
export const NODES = {
  doc: 'doc',
  paragraph: 'paragraph',
  /** attrs: level 1–6 */
  heading: 'heading',
  bulletList: 'bulletList',
  /** attrs: start (number, default 1) */
  orderedList: 'orderedList',
  listItem: 'listItem',
  blockquote: 'blockquote',
  /** attrs: language (string or absent) */
  codeBlock: 'codeBlock',
  horizontalRule: 'horizontalRule',
  hardBreak: 'hardBreak',
  text: 'text',
} as const;
export type NodeName = (typeof NODES)[keyof typeof NODES];

/** Mark names of TipTap 3 StarterKit (Link and Underline are part of it since v3). */
export const MARKS = {
  bold: 'bold',
  italic: 'italic',
  strike: 'strike',
  code: 'code',
  /** attrs: href (plus target, rel, class, which exports ignore) */
  link: 'link',
  underline: 'underline',
} as const;
export type MarkName = (typeof MARKS)[keyof typeof MARKS];

/** The only link protocols an export turns into a link; anything else is shown as plain text. */
export const LINK_PROTOCOLS: readonly string[] = ['http:', 'https:', 'mailto:'];

/**
 * The href to emit for a link, or null when it must not be a link (relative, `javascript:`,
 * `data:`, unparsable). Returns the parsed URL's normalised form, so what was checked is what is
 * written (the WHATWG parser drops tabs and newlines: `java\nscript:` is `javascript:`).
 */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string' || href.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  return LINK_PROTOCOLS.includes(url.protocol) ? url.href : null;
}

/** A mark in ProseMirror's JSON form. */
export interface DocMark {
  type: string;
  attrs?: Record<string, unknown>;
}

/** A node in ProseMirror's JSON form (what `editor.getJSON()` gives in the browser). */
export interface DocNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: DocNode[];
  text?: string;
  marks?: DocMark[];
}

const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;
const markName = (attribute: string): string => HASHED_MARK.exec(attribute)?.[1] ?? attribute;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function textNodes(text: Y.XmlText): DocNode[] {
  const out: DocNode[] = [];
  for (const op of text.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
    // y-tiptap only inserts strings; an embed put there by another client is not text.
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    const node: DocNode = { type: NODES.text, text: op.insert };
    const marks = Object.entries(op.attributes ?? {})
      .filter(([, attrs]) => attrs !== null && attrs !== undefined)
      .map(([name, attrs]): DocMark => (isRecord(attrs) && Object.keys(attrs).length ? { type: markName(name), attrs } : { type: markName(name) }));
    if (marks.length) node.marks = marks;
    out.push(node);
  }
  return out;
}

/** One child of a fragment or element in ProseMirror JSON: an element's node, or a text's runs (none for anything else). */
export function childToJSON(child: unknown): DocNode[] {
  if (child instanceof Y.XmlText) return textNodes(child);
  if (child instanceof Y.XmlElement) return [elementNode(child)];
  // Y.XmlHook has no place in a ProseMirror document.
  return [];
}

function contentOf(parent: Y.XmlFragment | Y.XmlElement): DocNode[] {
  return parent.toArray().flatMap(childToJSON);
}

function elementNode(element: Y.XmlElement): DocNode {
  const node: DocNode = { type: element.nodeName };
  const attrs = element.getAttributes() as Record<string, unknown>;
  if (Object.keys(attrs).length) node.attrs = attrs;
  const content = contentOf(element);
  if (content.length) node.content = content;
  return node;
}

/** The document in ProseMirror JSON, read from the `default` fragment the way y-tiptap reads it. */
export function readDocument(doc: Y.Doc): DocNode {
  return fragmentToJSON(doc.getXmlFragment(DOC_FRAGMENT));
}

export function fragmentToJSON(fragment: Y.XmlFragment): DocNode {
  return { type: NODES.doc, content: contentOf(fragment) };
}

/** Y types for ProseMirror JSON nodes, the way y-tiptap writes them (adjacent text in one Y.XmlText). */
export function jsonToYContent(nodes: readonly DocNode[]): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = [];
  let run: DocNode[] = [];
  const flush = () => {
    if (!run.length) return;
    const text = new Y.XmlText();
    text.applyDelta(run.map((n) => ({ insert: n.text ?? '', attributes: Object.fromEntries((n.marks ?? []).map((m) => [m.type, m.attrs ?? {}])) })));
    out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (node.type === NODES.text) {
      run.push(node);
      continue;
    }
    flush();
    const element = new Y.XmlElement(node.type);
    for (const [key, value] of Object.entries(node.attrs ?? {})) {
      if (value !== null && value !== undefined) element.setAttribute(key, value as string);
    }
    element.insert(0, jsonToYContent(node.content ?? []));
    out.push(element);
  }
  flush();
  return out;
}

/**
 * A fresh copy of a node for another document (restoring a version). Like Yjs's `clone()`, but
 * attribute values that are Y types and text embeds are left out: y-tiptap writes neither, and a
 * type that already belongs to a document cannot be inserted into another one.
 */
export function cloneNode(node: Y.XmlElement | Y.XmlText): Y.XmlElement | Y.XmlText {
  if (node instanceof Y.XmlText) {
    const text = new Y.XmlText();
    const delta = (node.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]).filter((op) => typeof op.insert === 'string');
    text.applyDelta(delta);
    return text;
  }
  const element = new Y.XmlElement(node.nodeName);
  for (const [key, value] of Object.entries(node.getAttributes() as Record<string, unknown>)) {
    if (!(value instanceof Y.AbstractType) && value !== undefined) element.setAttribute(key, value as string);
  }
  const children = node.toArray().filter((c): c is Y.XmlElement | Y.XmlText => c instanceof Y.XmlElement || c instanceof Y.XmlText);
  element.insert(0, children.map(cloneNode));
  return element;
}

/** Replaces the document's content with the given ProseMirror JSON (seeding, tests). */
export function writeDocument(doc: Y.Doc, content: readonly DocNode[]): void {
  const fragment = doc.getXmlFragment(DOC_FRAGMENT);
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    fragment.insert(0, jsonToYContent(content));
  });
}
