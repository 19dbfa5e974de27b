import { describe, expect, it } from 'vitest';
import type { DocMark, DocNode, RetroBoard } from '@tandem/collab-protocol';
import { boardNodes } from './retro-export';
import { htmlPage, toHtml, toMarkdown } from './render';

const t = (text: string, ...marks: (string | DocMark)[]): DocNode => ({
  type: 'text',
  text,
  ...(marks.length ? { marks: marks.map((m) => (typeof m === 'string' ? { type: m } : m)) } : {}),
});
const p = (...content: DocNode[]): DocNode => ({ type: 'paragraph', content });
const doc = (...content: DocNode[]): DocNode => ({ type: 'doc', content });
const link = (href: string): DocMark => ({ type: 'link', attrs: { href } });
const li = (...content: DocNode[]): DocNode => ({ type: 'listItem', content });

describe('Markdown export', () => {
  it('renders the StarterKit nodes', () => {
    const md = toMarkdown(
      doc(
        { type: 'heading', attrs: { level: 2 }, content: [t('Wave 1 plan')] },
        p(t('Go '), t('live', 'bold'), t(' on '), t('Monday', 'italic'), t(' with '), t('npm ci', 'code'), t(' and '), t('no', 'strike')),
        { type: 'bulletList', content: [li(p(t('one')), { type: 'bulletList', content: [li(p(t('nested')))] }), li(p(t('two')))] },
        { type: 'orderedList', attrs: { start: 3 }, content: [li(p(t('three'))), li(p(t('four')))] },
        { type: 'blockquote', content: [p(t('quoted'))] },
        { type: 'codeBlock', attrs: { language: 'ts' }, content: [t('const a = "<b>";\n```')] },
        { type: 'horizontalRule' },
        p(t('line'), { type: 'hardBreak' }, t('break')),
      ),
    );
    expect(md).toBe(
      [
        '## Wave 1 plan',
        '',
        'Go **live** on *Monday* with `npm ci` and ~~no~~',
        '',
        '- one',
        '  - nested',
        '- two',
        '',
        '3. three',
        '4. four',
        '',
        '> quoted',
        '',
        '````ts',
        'const a = "<b>";',
        '```',
        '````',
        '',
        '---',
        '',
        'line\\',
        'break',
        '',
      ].join('\n'),
    );
  });

  it('nests marks across runs and keeps whitespace outside delimiters', () => {
    expect(toMarkdown(doc(p(t('bold ', 'bold'), t('both', 'bold', 'italic'), t(' plain'))))).toBe('**bold *both*** plain\n');
    expect(toMarkdown(doc(p(t('a ', 'bold'), t('b'))))).toBe('**a** b\n');
  });

  it('escapes text so that nothing a person typed becomes markup', () => {
    const md = toMarkdown(doc(p(t('<img src=x onerror=alert(1)> *not bold* [x](javascript:alert(1)) # & |')), p(t('1. not a list')), p(t('- nor this'))));
    expect(md).toBe(
      '\\<img src=x onerror=alert(1)\\> \\*not bold\\* \\[x\\](javascript:alert(1)) \\# \\& \\|\n\n1\\. not a list\n\n\\- nor this\n',
    );
  });

  it('keeps only http, https and mailto links; others are plain text', () => {
    const md = toMarkdown(
      doc(p(t('site', link('https://example.com/a(b)')), t(' '), t('mail', link('mailto:qa@example.com')), t(' '), t('evil', link('javascript:alert(1)')), t(' '), t('rel', link('/x')))),
    );
    expect(md).toBe('[site](https://example.com/a%28b%29) [mail](mailto:qa@example.com) evil rel\n');
  });

  it('renders unknown nodes as their text and survives odd attributes', () => {
    const md = toMarkdown(
      doc(
        { type: 'table', content: [{ type: 'tableRow', content: [p(t('cell *1*'))] }] },
        p(t('see '), { type: 'mention', content: [t('@ann')] }),
        { type: 'heading', attrs: { level: 99 }, content: [t('deep')] },
        { type: 'orderedList', attrs: { start: 'x' }, content: [li(p(t('a')))] },
      ),
    );
    expect(md).toBe('cell \\*1\\*\n\nsee @ann\n\n###### deep\n\n1. a\n');
  });
});

describe('HTML export', () => {
  it('renders the nodes and escapes all text', () => {
    const html = toHtml(
      doc(
        { type: 'heading', attrs: { level: 1 }, content: [t('Plan <script>')] },
        p(t('<img src=x onerror=alert(1)>'), t(' site', link('https://example.com/?a="1"&b')), t(' evil', link('javascript:alert(1)'))),
        { type: 'orderedList', attrs: { start: 2 }, content: [li(p(t('x', 'bold', 'underline')))] },
        { type: 'codeBlock', attrs: { language: '"><script>' }, content: [t('</code><script>')] },
      ),
    );
    expect(html).toBe(
      [
        '<h1>Plan &lt;script&gt;</h1>',
        '<p>&lt;img src=x onerror=alert(1)&gt; <a href="https://example.com/?a=%221%22&amp;b" rel="noopener noreferrer nofollow">site</a> evil</p>',
        '<ol start="2"><li><p><strong><u>x</u></strong></p></li></ol>',
        '<pre><code class="language-script">&lt;/code&gt;&lt;script&gt;</code></pre>',
      ].join('\n'),
    );
  });

  it('wraps the body in a complete page with an escaped title', () => {
    const page = htmlPage('Q3 <retro> & "more"', '<p>x</p>');
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain('<title>Q3 &lt;retro&gt; &amp; &quot;more&quot;</title>');
    expect(page).not.toMatch(/<script|<link|src=/i);
  });
});

describe('retro board export', () => {
  it('lists columns with cards, votes, groups and action items with their links', () => {
    const card = { authorId: 'u', createdAt: 0, groupId: null, actionItem: false, link: null, votes: [] as string[] };
    const board: RetroBoard = {
      columns: [
        { id: 'c1', title: 'Went well' },
        { id: 'c2', title: 'To improve' },
      ],
      cards: [
        { ...card, id: 'a', columnId: 'c1', text: 'Pilot on time', votes: ['u1', 'u2'] },
        { ...card, id: 'b', columnId: 'c2', text: 'Training late', groupId: 'b', actionItem: true, link: { type: 'milestone', id: 'm1' } },
        { ...card, id: 'c', columnId: 'c2', text: 'No <sandbox>', groupId: 'b', votes: ['u1'] },
        { ...card, id: 'd', columnId: 'c2', text: 'Fix rota', actionItem: true },
      ],
    };
    const md = toMarkdown(doc(...boardNodes(board, new Map([['m1', 'Train *all* sites']]))));
    expect(md).toBe(
      [
        '---',
        '',
        '## Retro board',
        '',
        '### Went well',
        '',
        '- Pilot on time *— 2 votes*',
        '',
        '### To improve',
        '',
        '- Training late *— action item → milestone “Train \\*all\\* sites”*',
        '  - No \\<sandbox\\> *— 1 vote*',
        '- Fix rota *— action item*',
        '',
        '## Action items',
        '',
        '- Training late *— milestone “Train \\*all\\* sites”*',
        '- Fix rota *— not yet in the plan*',
        '',
      ].join('\n'),
    );
  });
});
