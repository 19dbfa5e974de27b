import { MARKS, NODES, type DocNode } from '@tandem/collab-protocol';
import { languageOf, numberAttr, renderInline, textOf, type InlineSyntax } from './render-inline';

/**
 * Markdown and HTML exports of a document's ProseMirror JSON (read from the Y.XmlFragment by
 * `readDocument`). Everything a person typed is text: it is escaped, never passed through as
 * markup; links are kept only for http, https and mailto; nodes the renderers do not know are
 * shown as their text. Pure functions, no I/O.
 */
export { escapeHtml, htmlPage, toHtml } from './render-html';
export { textOf } from './render-inline';

// ───── Markdown ─────

/** Backslash-escapes everything that could start Markdown syntax inside a line. */
export const escapeMarkdown = (text: string): string => text.replace(/[\\`*_[\]<>&|~#!]/g, '\\$&');

/** Escapes what only matters at the start of a line: list markers, setext underlines, indentation. */
function escapeLineStart(line: string): string {
  const trimmed = line.replace(/^[ \t]+/, '');
  return trimmed.replace(/^(\d{1,9})([.)])/, '$1\\$2').replace(/^([-+=])/, '\\$1');
}

function codeSpan(text: string): string {
  const body = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim()) ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

const linkDestination = (href: string): string => href.replace(/[\s()<>\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

const MD_DELIMITERS: Record<string, [string, string]> = {
  [MARKS.bold]: ['**', '**'],
  [MARKS.italic]: ['*', '*'],
  [MARKS.strike]: ['~~', '~~'],
  // Markdown has no underline and exports carry no HTML: underlined text is plain text.
  [MARKS.underline]: ['', ''],
};

const markdownInline: InlineSyntax = {
  text: escapeMarkdown,
  code: codeSpan,
  open: (mark) => (mark.type === MARKS.link ? '[' : (MD_DELIMITERS[mark.type]?.[0] ?? '')),
  close: (mark) => (mark.type === MARKS.link ? `](${linkDestination(mark.key)})` : (MD_DELIMITERS[mark.type]?.[1] ?? '')),
  hardBreak: '\\\n',
};

/** Lines of a paragraph; a hard break at its very end (nothing can follow it) is dropped. */
function inlineMarkdown(nodes: readonly DocNode[]): string[] {
  const lines = renderInline(nodes, markdownInline).split('\n').map(escapeLineStart);
  while (lines.length > 1 && lines[lines.length - 1] === '') {
    lines.pop();
    lines[lines.length - 1] = (lines[lines.length - 1] ?? '').replace(/\\$/, '');
  }
  return lines;
}

const prefixLines = (lines: readonly string[], first: string, rest: string): string[] =>
  lines.map((line, i) => (line === '' ? (i === 0 ? first.trimEnd() : '') : (i === 0 ? first : rest) + line));

/**
 * Blocks separated by blank lines. Inside a list item (`tight`), a nested list follows its
 * paragraph directly, keeping the list tight, when Markdown lets that list interrupt a paragraph.
 */
function markdownBlocks(nodes: readonly DocNode[], tight = false): string[] {
  const out: string[] = [];
  let previous: string | null = null;
  for (const node of nodes) {
    const lines = markdownBlock(node, previous);
    if (lines.length) {
      if (out.length && !(tight && previous === NODES.paragraph && interruptsParagraph(node))) out.push('');
      out.push(...lines);
    }
    previous = node.type;
  }
  return out;
}

const interruptsParagraph = (node: DocNode) =>
  node.type === NODES.bulletList || (node.type === NODES.orderedList && numberAttr(node.attrs?.start, 1, 0, 999_999_999) === 1);

function markdownBlock(node: DocNode, previous: string | null): string[] {
  const content = node.content ?? [];
  switch (node.type) {
    case NODES.paragraph: {
      const lines = inlineMarkdown(content);
      return lines.some((line) => line.trim()) ? lines : [];
    }
    case NODES.heading: {
      const text = renderInline(content, { ...markdownInline, hardBreak: ' ' }).trim();
      return text ? [`${'#'.repeat(numberAttr(node.attrs?.level, 1, 1, 6))} ${text}`] : [];
    }
    case NODES.blockquote:
      return markdownBlocks(content).map((line) => (line ? `> ${line}` : '>'));
    case NODES.bulletList: {
      // Two lists in a row would merge into one; a different bullet keeps them apart.
      const bullet = previous === NODES.bulletList ? '*' : '-';
      return content.flatMap((item) => prefixLines(listItemLines(item), `${bullet} `, '  '));
    }
    case NODES.orderedList: {
      const start = numberAttr(node.attrs?.start, 1, 0, 999_999_999);
      return content.flatMap((item, i) => {
        const marker = `${start + i}${previous === NODES.orderedList ? ')' : '.'} `;
        return prefixLines(listItemLines(item), marker, ' '.repeat(marker.length));
      });
    }
    case NODES.codeBlock: {
      const text = textOf(node);
      const longest = Math.max(2, ...(text.match(/`{3,}/g) ?? []).map((r) => r.length));
      const fence = '`'.repeat(longest + 1);
      return [`${fence}${languageOf(node)}`, ...text.split('\n'), fence];
    }
    case NODES.horizontalRule:
      return ['---'];
    default: {
      // Unknown node: its text, as a paragraph of plain text.
      const text = textOf(node);
      return text.trim() ? text.split('\n').map((line) => escapeLineStart(escapeMarkdown(line))) : [];
    }
  }
}

function listItemLines(item: DocNode): string[] {
  const lines = item.type === NODES.listItem ? markdownBlocks(item.content ?? [], true) : inlineMarkdown([{ type: NODES.text, text: textOf(item) }]);
  return lines.length ? lines : [''];
}

/** The document as CommonMark (plus GFM strikethrough), ending with one newline. */
export function toMarkdown(doc: DocNode): string {
  const lines = markdownBlocks(doc.content ?? []);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
