import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, CsvSyntaxError, matchColumns, normaliseHeader, parseCsv, parseCsvRecords, writeCsv } from './csv';

/** Pure unit tests of the CSV writer and reader; nothing else is involved. */

const NASTY = [
  'plain',
  '',
  'comma, inside',
  'a "quoted" word',
  '"',
  '""',
  'line\nbreak',
  'windows\r\nbreak',
  'lone\rcr',
  '  spaces kept  ',
  '=SUM(A1:A9)',
  '+1',
  '-2',
  '@cmd',
  '\tTAB',
  '\rCR first',
  "'=already guarded",
  "''+twice",
  "'just an apostrophe",
  '\uFEFFbom first',
  'ünïcödé ✓ 日本',
  ',',
  '\n',
];

describe('writeCsv', () => {
  it('quotes fields with comma, quote, CR or LF and doubles quotes', () => {
    expect(writeCsv([['a,b', 'say "hi"', 'x\ny', 'plain']])).toBe('"a,b","say ""hi""","x\ny",plain\r\n');
  });

  it('ends every record with CRLF and writes no record for no rows', () => {
    expect(writeCsv([['a'], ['b']])).toBe('a\r\nb\r\n');
    expect(writeCsv([])).toBe('');
  });

  it('guards formula-like text with a leading apostrophe', () => {
    expect(writeCsv([['=1+1', '+x', '-x', '@x', '\tx', "'=x", 'ok']])).toBe(`'=1+1,'+x,'-x,'@x,'\tx,''=x,ok\r\n`);
    expect(writeCsv([['\rx']])).toBe(`"'\rx"\r\n`);
  });

  it('writes numbers, booleans and empties as they are (a negative number is not a formula)', () => {
    expect(writeCsv([[-3, 0, 1.5, true, null, undefined]])).toBe('-3,0,1.5,true,,\r\n');
  });

  it('can leave formulas alone and start with a byte-order mark', () => {
    expect(writeCsv([['=x']], { guardFormulas: false, bom: true })).toBe('\uFEFF=x\r\n');
  });
});

describe('parseCsv', () => {
  it('round-trips nasty values', () => {
    const rows = [NASTY, [...NASTY].reverse(), ['only one']];
    expect(parseCsv(writeCsv(rows))).toEqual(rows);
    expect(parseCsv(writeCsv(rows, { bom: true }))).toEqual(rows);
    expect(parseCsv(writeCsv(rows, { guardFormulas: false }), { unguardFormulas: false })).toEqual(rows);
  });

  it('keeps the guard when asked to', () => {
    expect(parseCsv(writeCsv([['=x']]), { unguardFormulas: false })).toEqual([["'=x"]]);
  });

  it('reads LF and CR line ends, a missing final line break and empty lines', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(parseCsv('a\rb\r')).toEqual([['a'], ['b']]);
    expect(parseCsv('a\r\n\r\nb\r\n')).toEqual([['a'], [''], ['b']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('tells the line each record starts on, counting breaks inside quotes', () => {
    const records = parseCsvRecords('h1,h2\r\n"multi\nline",x\r\nlast,y\r\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('refuses malformed quoting, naming the line', () => {
    const failure = (text: string) => {
      try {
        parseCsv(text);
      } catch (error) {
        return error instanceof CsvSyntaxError ? { line: error.line, reason: error.reason } : error;
      }
      return null;
    };
    expect(failure('a\n"open')).toEqual({ line: 2, reason: 'a quoted field is never closed' });
    expect(failure('a\n"x"y')).toEqual({ line: 2, reason: 'a closing quote must be followed by a comma or the end of the line' });
    expect(failure('ab"c')).toEqual({ line: 1, reason: 'a quote inside a field that does not start with a quote' });
  });

  it('parse(write(rows)) == rows for arbitrary strings', () => {
    const cell = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: fc.constantFrom(',', '"', '\r', '\n', "'", '=', '+', '-', '@', '\t', '\uFEFF', 'a', ' '), maxLength: 12 }),
    );
    const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 });
    fc.assert(
      fc.property(rows, fc.boolean(), (table, bom) => {
        expect(parseCsv(writeCsv(table, { bom }))).toEqual(table);
        expect(parseCsv(writeCsv(table, { guardFormulas: false, bom }), { unguardFormulas: false })).toEqual(table);
      }),
      { numRuns: 500 },
    );
  });

  it('never writes a cell a spreadsheet would run as a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 5 }), (row) => {
        for (const cell of parseCsv(writeCsv([row]), { unguardFormulas: false })[0]!) {
          expect(cell).not.toMatch(/^[=+\-@\t\r]/);
        }
      }),
    );
  });
});

describe('headers', () => {
  it('matches columns whatever the case, spaces and underscores', () => {
    expect(normaliseHeader(' Due_Date ')).toBe('duedate');
    const match = matchColumns(['Title', 'Start Date', 'OWNER', 'notes', 'title', ''], {
      title: ['title'],
      startDate: ['start', 'start_date'],
      owner: ['owner', 'owner_email'],
    });
    expect(match).toEqual({ columns: { title: 0, startDate: 1, owner: 2 }, ignored: ['notes'], duplicates: ['title'] });
  });

  it('makes a safe attachment header', () => {
    expect(attachmentDisposition('KB-milestones.csv')).toBe('attachment; filename="KB-milestones.csv"');
    expect(attachmentDisposition('a"b\r\n.csv')).toBe('attachment; filename="a_b__.csv"');
  });
});
