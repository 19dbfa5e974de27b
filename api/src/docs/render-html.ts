import { MARKS, NODES, type DocNode } from '@tandem/collab-protocol';
import { languageOf, numberAttr, renderInline, textOf, type InlineSyntax } from './render-inline';

/** HTML of a document's ProseMirror JSON: every text escaped, no markup from users, safe links only. */

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const HTML_TAGS: Record<string, string> = { [MARKS.bold]: 'strong', [MARKS.italic]: 'em', [MARKS.strike]: 's', [MARKS.underline]: 'u' };

const htmlInlineSyntax: InlineSyntax = {
  text: escapeHtml,
  code: (text) => `<code>${escapeHtml(text)}</code>`,
  open: (mark) => (mark.type === MARKS.link ? `<a href="${escapeHtml(mark.key)}" rel="noopener noreferrer nofollow">` : `<${HTML_TAGS[mark.type] ?? 'span'}>`),
  close: (mark) => (mark.type === MARKS.link ? '</a>' : `</${HTML_TAGS[mark.type] ?? 'span'}>`),
  hardBreak: '<br>',
};

const htmlInline = (nodes: readonly DocNode[]): string => renderInline(nodes, htmlInlineSyntax);

function htmlBlock(node: DocNode): string {
  const content = node.content ?? [];
  const blocks = () => content.map(htmlBlock).join('');
  switch (node.type) {
    case NODES.paragraph:
      return `<p>${htmlInline(content)}</p>`;
    case NODES.heading: {
      const level = numberAttr(node.attrs?.level, 1, 1, 6);
      return `<h${level}>${htmlInline(content)}</h${level}>`;
    }
    case NODES.blockquote:
      return `<blockquote>${blocks()}</blockquote>`;
    case NODES.bulletList:
      return `<ul>${content.map(htmlListItem).join('')}</ul>`;
    case NODES.orderedList: {
      const start = numberAttr(node.attrs?.start, 1, 0, 999_999_999);
      return `<ol${start === 1 ? '' : ` start="${start}"`}>${content.map(htmlListItem).join('')}</ol>`;
    }
    case NODES.codeBlock: {
      const language = languageOf(node);
      return `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ''}>${escapeHtml(textOf(node))}</code></pre>`;
    }
    case NODES.horizontalRule:
      return '<hr>';
    default: {
      const text = textOf(node);
      return text.trim() ? `<p>${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p>` : '';
    }
  }
}

const htmlListItem = (item: DocNode): string =>
  item.type === NODES.listItem ? `<li>${(item.content ?? []).map(htmlBlock).join('')}</li>` : `<li>${escapeHtml(textOf(item))}</li>`;

/** The document's body as HTML (no surrounding page), for previews and the export. */
export function toHtml(doc: DocNode): string {
  return (doc.content ?? []).map(htmlBlock).join('\n');
}

const PAGE_STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}' +
  'pre{background:#f4f4f4;padding:.75rem;overflow:auto}code{font-family:ui-monospace,monospace}' +
  'blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem;color:#444}' +
  'table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}';

/** A complete, self-contained HTML page: no scripts, no external resources. */
export function htmlPage(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
