import { DOC_FRAGMENT } from '@tandem/collab-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomsService } from '../src/collab/rooms.service';
import { startTestApp, type TestApp } from './harness';

/**
 * Rich text never becomes executable markup. Where user content turns into HTML on the server —
 * the HTML export and the version preview (shown by the web app only inside a sandboxed iframe) —
 * it is rendered from the document's structure by an allow-list renderer (api/src/docs/render-html.ts):
 * known nodes and marks only, every text and attribute escaped, links only to http(s) and mailto.
 * No user HTML is ever parsed or passed through, so there is nothing for DOMPurify to clean; the web
 * app renders no user HTML either (no `{@html}`; the editor builds its DOM from the same schema).
 *
 * This test writes a hostile document with the raw Yjs API — as a modified client could, past
 * any editor schema — and checks the output tag by tag against an allow-list. Real: PostgreSQL,
 * the whole app, the stored document.
 */
const TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'u', 'code', 'pre', 'a', 'ul', 'ol', 'li', 'blockquote', 'hr', 'br', 'span']);
const ATTRIBUTES: Record<string, Set<string>> = { a: new Set(['href', 'rel']), ol: new Set(['start']), code: new Set(['class']), meta: new Set(['charset', 'name', 'content']), html: new Set(['lang']) };
const SAFE_HREF = /^(https?:\/\/|mailto:)/;

const EVIL_HREFS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  '&#106;avascript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'https://ok.example/" onmouseover="alert(1)',
  "https://ok.example/' onmouseover='alert(1)",
];

/** Every tag and attribute of `html` that the allow-list does not allow. */
function violations(html: string): string[] {
  const found: string[] = [];
  for (const [, close, name = '', rest = ''] of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    const tag = name.toLowerCase();
    if (!TAGS.has(tag)) found.push(`<${tag}>`);
    if (close) continue;
    const attrs = rest.replace(/\s*\/$/, '');
    // Every attribute must be name="value" with nothing left over (no unquoted or broken-out values).
    const leftover = attrs.replace(/\s+([a-z-]+)="([^"]*)"/g, (_m, attr: string, value: string) => {
      if (!ATTRIBUTES[tag]?.has(attr)) found.push(`${tag}[${attr}]`);
      if (attr === 'href' && !SAFE_HREF.test(value)) found.push(`${tag}[href=${value}]`);
      return '';
    });
    if (leftover.trim()) found.push(`${tag} ${leftover.trim()}`);
  }
  // Text may still say `onerror=` or `javascript:`: escaped, it is only text; attributes are what could run.
  return found;
}

function writeHostile(doc: Y.Doc): void {
  const fragment = doc.getXmlFragment(DOC_FRAGMENT);
  const element = (name: string, attrs: Record<string, string> = {}, text?: string, format?: Record<string, unknown>) => {
    const el = new Y.XmlElement(name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) {
      const t = new Y.XmlText();
      el.insert(0, [t]);
      fragment.push([el]);
      t.insert(0, text, format);
      return el;
    }
    fragment.push([el]);
    return el;
  };
  element('paragraph', {}, '<script>alert(1)</script><img src=x onerror=alert(1)>');
  for (const href of EVIL_HREFS) element('paragraph', {}, `link to ${href}`, { link: { href } });
  element('paragraph', {}, 'a real link', { link: { href: 'https://example.com/?a="1"&b=<2>' } });
  element('img', { src: 'x', onerror: 'alert(1)' }, 'image node');
  element('script', {}, 'alert(1)');
  element('iframe', { src: 'javascript:alert(1)' }, 'frame');
  element('heading', { level: '1 onclick=alert(1)' }, 'heading');
  element('orderedList', { start: '"><script>alert(1)</script>' });
  element('codeBlock', { language: '"><img src=x onerror=alert(1)>' }, 'code');
  element('paragraph', { onclick: 'alert(1)', style: 'background:url(javascript:alert(1))' }, 'attributes on a paragraph');
}

describe('rich text sanitising', () => {
  let t: TestApp;
  let docId = '';
  beforeAll(async () => {
    t = await startTestApp();
    const pm = await t.signIn('pm@demo.tandem');
    const program = (await pm.get('/api/v1/programs/QA')).body.id as string;
    docId = (await pm.post(`/api/v1/programs/${program}/docs`).send({ kind: 'plan', title: '<script>alert("title")</script>' })).body.id as string;
    await t.app.get(RoomsService).edit(docId, writeHostile);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the HTML export holds no executable markup: allowed tags and attributes only, links only to http(s)', async () => {
    const pm = await t.signIn('pm@demo.tandem');
    const res = await pm.get(`/api/v1/docs/${docId}/export.html`);
    expect(res.status).toBe(200);
    expect(violations(res.text)).toEqual([]);
    expect(res.text).not.toMatch(/<script|<img|<iframe/i);
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(res.text).toContain('<a href="https://example.com/?a=%221%22&amp;b=%3C2%3E" rel="noopener noreferrer nofollow">a real link</a>');
    // Each hostile link is left as its text, not a link; the two that are https stay links, their quotes percent-encoded.
    expect(res.text.match(/<a /g)?.length).toBe(3);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
  });

  it('so does the version preview the web app shows', async () => {
    const pm = await t.signIn('pm@demo.tandem');
    const version = await pm.post(`/api/v1/docs/${docId}/versions`).send({ name: 'hostile' });
    expect(version.status).toBe(201);
    const preview = await pm.get(`/api/v1/docs/${docId}/versions/${version.body.id as string}`);
    expect(preview.status).toBe(200);
    const html = (preview.body as { html: string }).html;
    expect(html).toContain('a real link');
    expect(violations(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<img|<iframe/i);
  });

  it('the allow-list check itself catches what it must', () => {
    expect(violations('<p onclick="x">a</p>')).toEqual(['p[onclick]']);
    expect(violations('<a href="javascript:alert(1)">a</a>')).toEqual(['a[href=javascript:alert(1)]']);
    expect(violations('<img src=x onerror=alert(1)>')).toEqual(['<img>', 'img src=x onerror=alert(1)']);
    expect(violations('<a href="https://x" onmouseover="y">a</a>')).toEqual(['a[onmouseover]']);
  });
});
