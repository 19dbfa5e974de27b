import { UnsupportedMediaTypeException } from '@nestjs/common';
import { storable } from '@tandem/domain';
import { CsvSyntaxError, matchColumns, parseCsvRecords } from './csv';
import { isUuid } from './id.pipe';
import { ValidationFailed } from './validation';

/** Imports read a whole file at once; past this many rows, split the file. */
export const MAX_IMPORT_ROWS = 5000;

export interface CsvImportFile<C extends string> {
  /** the columns the header named, in the file's order */
  columns: C[];
  /** non-blank rows, by physical line, with each named column's text */
  rows: { line: number; values: Partial<Record<C, string>> }[];
}

/**
 * Reads an import file: parses the CSV, matches the header against `aliases` (case, spaces, `_`
 * and `-` ignored), and drops blank rows. A file that cannot be read at all — bad quoting, no
 * header, a duplicated or no usable column, too many rows — is a 400 on `body`.
 */
export function readCsvImport<C extends string>(text: string, aliases: Readonly<Record<C, readonly string[]>>, usableColumns: string): CsvImportFile<C> {
  let records;
  try {
    records = parseCsvRecords(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new ValidationFailed([{ field: 'body', reason: error.message }]);
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw new ValidationFailed([{ field: 'body', reason: 'the file is empty; the first line must name the columns' }]);
  const match = matchColumns(header.cells, aliases);
  if (match.duplicates.length) throw new ValidationFailed(match.duplicates.map((name) => ({ field: 'body', reason: `the column "${name}" appears more than once` })));
  const columns = Object.keys(match.columns) as C[];
  if (!columns.some((c) => c !== 'id')) throw new ValidationFailed([{ field: 'body', reason: `the first line names none of the columns ${usableColumns}` }]);
  const rows = body
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => ({ line: r.line, values: Object.fromEntries(columns.map((c) => [c, r.cells[match.columns[c]!] ?? ''])) as Partial<Record<C, string>> }));
  if (rows.length > MAX_IMPORT_ROWS) throw new ValidationFailed([{ field: 'body', reason: `must have at most ${MAX_IMPORT_ROWS} rows` }]);
  return { columns, rows };
}

/** The distinct UUIDs in the file's `id` column (the rows that may update existing things). */
export function idsIn(file: { rows: { values: { id?: string } }[] }): string[] {
  return [...new Set(file.rows.map((r) => r.values.id?.trim().toLowerCase() ?? '').filter(isUuid))];
}

/** The distinct, storable email addresses a column holds (for one lookup of the people). */
export function emailsIn(values: (string | undefined)[]): string[] {
  const emails = values.map((v) => v?.trim().toLowerCase() ?? '').filter((e) => e.includes('@') && e.length <= 254 && storable(e));
  return [...new Set(emails)];
}

/**
 * Whether a row would leave the stored record as it is: every field the row gives (not undefined)
 * equals the stored value. Hand in the row as the update would write it (parsed: trimmed text, null
 * for a cleared cell, ids, YYYY-MM-DD dates), so only a real change counts as one.
 */
export function changesNothing<S extends object>(input: { readonly [K in keyof S]?: unknown }, stored: S): boolean {
  return (Object.keys(input) as (keyof S)[]).every((key) => input[key] === undefined || input[key] === stored[key]);
}

/** The request body of an import: the CSV text itself, sent as text/csv. */
export function csvText(body: unknown): string {
  if (typeof body === 'string') return body;
  throw new UnsupportedMediaTypeException({ statusCode: 415, error: 'Unsupported Media Type', message: 'Send the file as the request body with Content-Type: text/csv' });
}
