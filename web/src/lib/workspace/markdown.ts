/**
 * A small Markdown subset for status-update narratives: paragraphs with line breaks, headings,
 * bullet and numbered lists, **bold**, *italic*, `code` and [links](https://…). It produces a tree
 * of plain strings that `Markdown.svelte` renders as text nodes, so nothing the author wrote is ever
 * interpreted as HTML. Links keep only http(s), mailto and same-site paths.
 */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong'; text: string }
  | { kind: 'em'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'br' };

export type Block =
  | { kind: 'p'; inlines: Inline[] }
  | { kind: 'h'; level: 3 | 4 | 5; inlines: Inline[] }
  | { kind: 'ul' | 'ol'; items: Inline[][] }
  | { kind: 'pre'; text: string };

export function safeHref(href: string): string | null {
  const h = href.trim();
  if (/^(https?:|mailto:)/i.test(h)) return h;
  if (h.startsWith('/') && !h.startsWith('//') && !h.startsWith('/\\')) return h;
  return null;
}

const INLINE = /(\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\))/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const push = (t: string) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last?.kind === 'text') last.text += t;
    else out.push({ kind: 'text', text: t });
  };
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    push(text.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[2] !== undefined || m[3] !== undefined) out.push({ kind: 'strong', text: m[2] ?? m[3] ?? '' });
    else if (m[4] !== undefined || m[5] !== undefined) out.push({ kind: 'em', text: m[4] ?? m[5] ?? '' });
    else if (m[6] !== undefined) out.push({ kind: 'code', text: m[6] });
    else if (m[7] !== undefined && m[8] !== undefined) {
      const href = safeHref(m[8]);
      if (href) out.push({ kind: 'link', text: m[7], href });
      else push(m[0]);
    }
  }
  push(text.slice(at));
  return out;
}

function paragraph(lines: string[]): Inline[] {
  const out: Inline[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push({ kind: 'br' });
    out.push(...parseInline(line));
  });
  return out;
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.trimStart().startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trimStart().startsWith('```')) body.push(lines[i++] ?? '');
      i++;
      blocks.push({ kind: 'pre', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(5, heading[1]!.length + 2) as 3 | 4 | 5;
      blocks.push({ kind: 'h', level, inlines: parseInline(heading[2]!.trim()) });
      i++;
      continue;
    }
    const bullet = /^\s*[-*+]\s+/;
    const numbered = /^\s*\d+[.)]\s+/;
    if (bullet.test(line) || numbered.test(line)) {
      const kind = bullet.test(line) ? 'ul' : 'ol';
      const marker = kind === 'ul' ? bullet : numbered;
      const items: Inline[][] = [];
      while (i < lines.length && marker.test(lines[i] ?? '')) items.push(parseInline((lines[i++] ?? '').replace(marker, '')));
      blocks.push({ kind, items });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length) {
      const l = lines[i] ?? '';
      if (l.trim() === '' || /^#{1,6}\s/.test(l) || bullet.test(l) || numbered.test(l) || l.trimStart().startsWith('```')) break;
      para.push(l);
      i++;
    }
    blocks.push({ kind: 'p', inlines: paragraph(para) });
  }
  return blocks;
}
