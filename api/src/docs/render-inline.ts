import { MARKS, NODES, safeHref, type DocMark, type DocNode } from '@tandem/collab-protocol';

/**
 * What the Markdown and HTML renderers share: inline content (runs of text with marks) rendered
 * with properly nested marks, and readers of node attributes that any client may have written.
 */

/** Outermost first; a link is outermost so a run of linked text becomes one link. */
const MARK_ORDER = [MARKS.link, MARKS.bold, MARKS.italic, MARKS.strike, MARKS.underline] as const;

export interface OpenMark {
  type: string;
  /** the safe href for links; marks with the same type and key continue across runs */
  key: string;
}

export interface InlineSyntax {
  text(text: string): string;
  code(text: string): string;
  open(mark: OpenMark): string;
  close(mark: OpenMark): string;
  hardBreak: string;
}

function runMarks(marks: readonly DocMark[] | undefined): { open: OpenMark[]; code: boolean } {
  const open: OpenMark[] = [];
  for (const type of MARK_ORDER) {
    const mark = marks?.find((m) => m.type === type);
    if (!mark) continue;
    if (type === MARKS.link) {
      const href = safeHref(mark.attrs?.href);
      if (href) open.push({ type, key: href });
    } else {
      open.push({ type, key: '' });
    }
  }
  return { open, code: Boolean(marks?.some((m) => m.type === MARKS.code)) };
}

/** The text of any node, for nodes rendered as plain text. */
export function textOf(node: DocNode): string {
  if (node.type === NODES.text) return node.text ?? '';
  if (node.type === NODES.hardBreak) return '\n';
  return (node.content ?? []).map(textOf).join('');
}

/**
 * Renders inline content with a stack of open marks: a mark that continues into the next run
 * stays open, so `**bold *and italic***` nests instead of overlapping. Whitespace at a closing
 * edge is moved outside the delimiters (Markdown does not close `**a **`).
 */
export function renderInline(nodes: readonly DocNode[], syntax: InlineSyntax): string {
  let out = '';
  const stack: OpenMark[] = [];
  const closeTo = (depth: number) => {
    if (stack.length <= depth) return;
    const trailing = /\s*$/.exec(out)?.[0] ?? '';
    out = out.slice(0, out.length - trailing.length);
    while (stack.length > depth) out += syntax.close(stack.pop() as OpenMark);
    out += trailing;
  };
  for (const node of splitLines(nodes)) {
    if (node.type === NODES.hardBreak) {
      closeTo(0);
      out += syntax.hardBreak;
      continue;
    }
    const text = node.type === NODES.text ? (node.text ?? '') : textOf(node);
    if (!text) continue;
    const { open, code } = node.type === NODES.text ? runMarks(node.marks) : { open: [], code: false };
    // Whitespace alone takes the formatting around it: no empty `****` pairs.
    if (!code && !text.trim()) {
      out += syntax.text(text);
      continue;
    }
    let same = 0;
    while (same < stack.length && same < open.length && stack[same]?.type === open[same]?.type && stack[same]?.key === open[same]?.key) same++;
    closeTo(same);
    const leading = stack.length < open.length && !code ? (/^\s*/.exec(text)?.[0] ?? '') : '';
    out += leading;
    for (const mark of open.slice(same)) {
      out += syntax.open(mark);
      stack.push(mark);
    }
    const body = text.slice(leading.length);
    out += code ? syntax.code(body) : syntax.text(body);
  }
  closeTo(0);
  return out;
}

/** Newlines inside text (ProseMirror uses hardBreak nodes, but any client may write "\n") become hard breaks. */
function splitLines(nodes: readonly DocNode[]): DocNode[] {
  const out: DocNode[] = [];
  for (const node of nodes) {
    const text = node.type === NODES.text ? (node.text ?? '') : '';
    if (!text.includes('\n')) {
      out.push(node);
      continue;
    }
    text.split(/\r?\n/).forEach((line, i) => {
      if (i > 0) out.push({ type: NODES.hardBreak });
      if (line) out.push({ ...node, text: line });
    });
  }
  return out;
}

/** An integer attribute within [min, max], or the fallback when it is missing or not a number. */
export const numberAttr = (value: unknown, fallback: number, min: number, max: number): number => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

/** A code block's language, reduced to characters that are safe in a fence and a class name. */
export const languageOf = (node: DocNode): string =>
  typeof node.attrs?.language === 'string' ? node.attrs.language.replace(/[^\w+#.-]/g, '').slice(0, 40) : '';
