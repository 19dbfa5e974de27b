import type { StatusUpdate } from '@tandem/api-client';
import { describe, expect, it } from 'vitest';
import { listUpdatesSince } from './api';

const update = (id: string): StatusUpdate => ({ id, health: 'on_track', narrative: '', author: { id: 'a', name: 'A' }, createdAt: '2026-11-01T10:00:00Z' });

/** Answers each request with the next of `pages`, and records what was asked. */
function pagedFetch(pages: { items: StatusUpdate[]; nextCursor: string | null }[]) {
  const urls: URL[] = [];
  const fn = (async (url: string) => {
    urls.push(new URL(url, 'http://tandem.test'));
    return Response.json(pages[urls.length - 1]);
  }) as typeof fetch;
  return { fn, urls };
}

describe('listUpdatesSince', () => {
  it('asks once, for the largest page from the window start, when one page holds the history', async () => {
    const { fn, urls } = pagedFetch([{ items: [update('b'), update('a')], nextCursor: null }]);
    expect((await listUpdatesSince(fn, 'Q&A', '2026-08-01')).map((u) => u.id)).toEqual(['b', 'a']);
    expect(urls).toHaveLength(1);
    expect(urls[0]!.pathname).toBe('/api/v1/programs/Q%26A/updates');
    expect(Object.fromEntries(urls[0]!.searchParams)).toEqual({ since: '2026-08-01', limit: '200' });
  });

  it('follows the cursor until the last page, keeping the window start on every page', async () => {
    const { fn, urls } = pagedFetch([
      { items: [update('c')], nextCursor: 'k+1/=' },
      { items: [update('b')], nextCursor: 'k2' },
      { items: [update('a')], nextCursor: null },
    ]);
    expect((await listUpdatesSince(fn, 'QA', '2026-08-01')).map((u) => u.id)).toEqual(['c', 'b', 'a']);
    expect(urls.map((u) => [u.searchParams.get('since'), u.searchParams.get('cursor')])).toEqual([
      ['2026-08-01', null],
      ['2026-08-01', 'k+1/='],
      ['2026-08-01', 'k2'],
    ]);
  });
});
