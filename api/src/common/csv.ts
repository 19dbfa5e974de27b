/**
 * RFC 4180 CSV, written and read the same way for every export and import.
 *
 * Writing: records end with CRLF; a field is quoted when it holds a comma, a quote, CR or LF (or
 * starts with a byte-order mark), and quotes inside it are doubled. Text cells that a spreadsheet
 * would run as a formula (starting with = + - @ tab or CR, OWASP's list) get a leading `'`, which
 * spreadsheets hide and treat as "this is text". Numbers are written as they are: `-3` is a number,
 * not a formula.
 *
 * Reading undoes exactly that guard, so `parseCsv(writeCsv(rows))` returns `rows` for any strings.
 * To keep that a bijection, a text that already starts with apostrophes followed by a trigger
 * (`'=x`) is guarded too (`''=x`), and the reader strips one apostrophe only from such cells.
 */

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvWriteOptions {
  /** prefix formula-like text with `'` (default true) */
  guardFormulas?: boolean;
  /** start with a UTF-8 byte-order mark so Excel reads the file as UTF-8 (default false) */
  bom?: boolean;
}

export interface CsvReadOptions {
  /** remove the `'` that `writeCsv` put before formula-like text (default true) */
  unguardFormulas?: boolean;
}

/** One record and the physical line (1-based) it starts on, for error messages people can find. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

const BOM = '\uFEFF';
const GUARDED = /^'*[=+\-@\t\r]/;
const UNGUARD = /^'+[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\uFEFF/;

export function writeCsv(rows: readonly (readonly CsvCell[])[], options: CsvWriteOptions = {}): string {
  const guard = options.guardFormulas ?? true;
  const body = rows.map((row) => row.map((cell) => writeCell(cell, guard)).join(',') + '\r\n').join('');
  return options.bom ? BOM + body : body;
}

function writeCell(cell: CsvCell, guard: boolean): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell !== 'string') return String(cell);
  const text = guard && GUARDED.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Every record with its line. Accepts CRLF, LF or CR line ends and a leading byte-order mark; a
 * line break at the very end does not start another record. Malformed quoting throws
 * `CsvSyntaxError` naming the line.
 */
export function parseCsvRecords(text: string, options: CsvReadOptions = {}): CsvRecord[] {
  const unguard = options.unguardFormulas ?? true;
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  if (input === '') return records;
  let line = 1;
  let cells: string[] = [];
  let recordLine = 1;
  let i = 0;
  const finishCell = (value: string) => cells.push(unguard && UNGUARD.test(value) ? value.slice(1) : value);
  const finishRecord = () => {
    records.push({ line: recordLine, cells });
    cells = [];
  };
  // Each pass reads one field and the separator after it.
  for (;;) {
    let value = '';
    if (input[i] === '"') {
      const opened = line;
      i++;
      for (;;) {
        const quote = input.indexOf('"', i);
        if (quote === -1) throw new CsvSyntaxError(opened, 'a quoted field is never closed');
        const chunk = input.slice(i, quote);
        line += countLineBreaks(chunk);
        value += chunk;
        if (input[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      const after = input[i];
      if (after !== undefined && after !== ',' && after !== '\r' && after !== '\n') {
        throw new CsvSyntaxError(line, 'a closing quote must be followed by a comma or the end of the line');
      }
    } else {
      let end = i;
      while (end < input.length && input[end] !== ',' && input[end] !== '\r' && input[end] !== '\n') {
        if (input[end] === '"') throw new CsvSyntaxError(line, 'a quote inside a field that does not start with a quote');
        end++;
      }
      value = input.slice(i, end);
      i = end;
    }
    finishCell(value);
    if (i >= input.length) {
      finishRecord();
      return records;
    }
    if (input[i] === ',') {
      i++;
      continue;
    }
    // a line break: CRLF, LF or CR
    i += input[i] === '\r' && input[i + 1] === '\n' ? 2 : 1;
    line++;
    finishRecord();
    if (i >= input.length) return records;
    recordLine = line;
  }
}

/** The cells of every record, without line numbers. */
export function parseCsv(text: string, options: CsvReadOptions = {}): string[][] {
  return parseCsvRecords(text, options).map((r) => r.cells);
}

function countLineBreaks(text: string): number {
  const matches = text.match(/\r\n|\r|\n/g);
  return matches ? matches.length : 0;
}

/** How people write a column name, reduced to compare: case, spaces, `_` and `-` do not matter. */
export const normaliseHeader = (name: string): string => name.toLowerCase().replace(/[\s_-]+/g, '');

export interface ColumnMatch<K extends string> {
  /** the index of each known column present in the header */
  columns: Partial<Record<K, number>>;
  /** header cells that name no known column, as written */
  ignored: string[];
  /** known columns named more than once, as written */
  duplicates: string[];
}

/**
 * Matches a header row to known columns by name. `aliases` lists, per column, the names people may
 * use for it (compared with `normaliseHeader`), e.g. `{ dueDate: ['due', 'due_date'] }`.
 */
export function matchColumns<K extends string>(header: readonly string[], aliases: Readonly<Record<K, readonly string[]>>): ColumnMatch<K> {
  const byName = new Map<string, K>();
  for (const key of Object.keys(aliases) as K[]) {
    for (const alias of aliases[key]) byName.set(normaliseHeader(alias), key);
  }
  const columns: Partial<Record<K, number>> = {};
  const ignored: string[] = [];
  const duplicates: string[] = [];
  header.forEach((name, index) => {
    const key = byName.get(normaliseHeader(name));
    if (key === undefined) {
      if (name.trim()) ignored.push(name);
    } else if (columns[key] !== undefined) {
      duplicates.push(name);
    } else {
      columns[key] = index;
    }
  });
  return { columns, ignored, duplicates };
}

/** `attachment; filename="…"` for a name made of safe characters (anything else becomes `_`). */
export const attachmentDisposition = (filename: string): string => `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
