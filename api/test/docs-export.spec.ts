import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_FRAGMENT, writeDocument } from '@tandem/collab-protocol';
import * as Y from 'yjs';
import { RoomsService } from '../src/collab/rooms.service';
import { startCollabApp, waitFor, waitForStatus, type CollabTestApp, type TestClient } from './collab-harness';

/**
 * Markdown and HTML exports of documents written by real clients through the provider. Real:
 * PostgreSQL, the app on a port, socket.io clients; the export reads the stored state.
 */
describe('docs: export as Markdown and HTML', () => {
  let t: CollabTestApp;
  beforeAll(async () => {
    t = await startCollabApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A plan typed the way y-tiptap stores it, including hostile text and links. */
  function writePlan(client: TestClient): void {
    writeDocument(client.doc, [
      { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Launch <plan>' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Go ' },
          { type: 'text', text: 'live', marks: [{ type: 'bold' }] },
          { type: 'text', text: ' <img src=x onerror=alert(1)> ' },
          { type: 'text', text: 'click me', marks: [{ type: 'link', attrs: { href: 'javascript:alert(document.cookie)' } }] },
          { type: 'text', text: ' and ' },
          { type: 'text', text: 'the runbook', marks: [{ type: 'link', attrs: { href: 'https://example.com/runbook' } }] },
        ],
      },
      { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Train agents' }] }] }] },
    ]);
    // One more paragraph written with the raw Yjs API, as another y-tiptap client would.
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    client.doc.getXmlFragment(DOC_FRAGMENT).push([paragraph]);
    text.insert(0, 'data link', { link: { href: 'data:text/html,<script>alert(1)</script>' } });
  }

  it('exports what a client wrote as Markdown, with hostile text and links inert', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    await waitForStatus(a, 'saved');
    writePlan(a);
    await waitForStatus(a, 'saved');
    const agent = await t.signIn('partner@demo.tandem');
    const res = await agent.get(`/api/v1/docs/${docId}/export.md`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="plan \d+\.md"; filename\*=UTF-8''plan%20\d+\.md$/);
    expect(res.text).toBe(
      [
        '# Launch \\<plan\\>',
        '',
        'Go **live** \\<img src=x onerror=alert(1)\\> click me and [the runbook](https://example.com/runbook)',
        '',
        '- Train agents',
        '',
        'data link',
        '',
      ].join('\n'),
    );
  });

  it('exports a complete HTML page under a strict content security policy, from PostgreSQL alone', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const a = await t.client('pm@demo.tandem', docId);
    await waitForStatus(a, 'saved');
    writePlan(a);
    await waitForStatus(a, 'saved');
    a.close();
    // the room is released (and compacted) once its last client leaves; the export reads storage
    await waitFor(() => !t.app.get(RoomsService).get(docId), 5000, 'room released');
    const res = await (await t.signIn('leader@demo.tandem')).get(`/api/v1/docs/${docId}/export.html`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="plan \d+\.html"/);
    expect(res.text).toMatch(/^<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">/);
    expect(res.text).toMatch(/<title>plan \d+<\/title>/);
    expect(res.text).toContain('<h1>Launch &lt;plan&gt;</h1>');
    expect(res.text).toContain(
      '<p>Go <strong>live</strong> &lt;img src=x onerror=alert(1)&gt; click me and <a href="https://example.com/runbook" rel="noopener noreferrer nofollow">the runbook</a></p>',
    );
    expect(res.text).toContain('<ul><li><p>Train agents</p></li></ul>');
    expect(res.text).toContain('<p>data link</p>');
    // nothing that could run or load
    expect(res.text).not.toMatch(/<img|<script|javascript:|data:/i);
  });

  it('names the file safely whatever the title', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'QA');
    const pm = await t.signIn('pm@demo.tandem');
    expect((await pm.patch(`/api/v1/docs/${docId}`).send({ title: 'Q3 "retro" ../../etc/passwd; é' })).status).toBe(200);
    const res = await pm.get(`/api/v1/docs/${docId}/export.md`);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Q3 _retro_ .._.._etc_passwd_ e.md"; filename*=UTF-8''Q3%20%22retro%22%20..%2F..%2Fetc%2Fpasswd%3B%20%C3%A9.md`,
    );
  });

  it('answers 404 as JSON to people who may not read the document', async () => {
    const docId = await t.createDoc('pm@demo.tandem', 'KB');
    const partner = await t.signIn('partner@demo.tandem');
    for (const path of ['export.md', 'export.html']) {
      const res = await partner.get(`/api/v1/docs/${docId}/${path}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toBeUndefined();
    }
    expect((await partner.get('/api/v1/docs/00000000-0000-4000-8000-000000000000/export.md')).status).toBe(404);
  });
});
