import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown';
import { shift } from './timeline';

describe('status update markdown', () => {
  it('keeps HTML as text: the renderer only ever emits strings', () => {
    const blocks = parseMarkdown('<script>alert(1)</script>\n<img src=x onerror=alert(1)>');
    expect(blocks).toEqual([
      {
        kind: 'p',
        inlines: [
          { kind: 'text', text: '<script>alert(1)</script>' },
          { kind: 'br' },
          { kind: 'text', text: '<img src=x onerror=alert(1)>' },
        ],
      },
    ]);
  });

  it('reads emphasis, code, lists and headings', () => {
    expect(parseInline('a **b** *c* `d`')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'strong', text: 'b' },
      { kind: 'text', text: ' ' },
      { kind: 'em', text: 'c' },
      { kind: 'text', text: ' ' },
      { kind: 'code', text: 'd' },
    ]);
    const blocks = parseMarkdown('# Risks\n- one\n- two\n\n1. first');
    expect(blocks.map((b) => b.kind)).toEqual(['h', 'ul', 'ol']);
  });

  it('keeps only safe links', () => {
    expect(safeHref('https://example.com/x')).toBe('https://example.com/x');
    expect(safeHref('/programs/QA')).toBe('/programs/QA');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('//evil.example')).toBeNull();
    expect(parseInline('[x](javascript:alert(1))')).toEqual([{ kind: 'text', text: '[x](javascript:alert(1))' }]);
  });
});

describe('timeline moves', () => {
  const span = { start: '2026-03-01', due: '2026-03-05' };
  it('moves both dates, or only the due date when resizing, never before the start', () => {
    expect(shift(span, 2, false, false)).toEqual({ start: '2026-03-03', due: '2026-03-07' });
    expect(shift(span, 1, true, false)).toEqual({ start: '2026-03-01', due: '2026-03-06' });
    expect(shift(span, -10, true, false)).toEqual({ start: '2026-03-01', due: '2026-03-01' });
  });
});
