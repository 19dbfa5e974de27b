import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { storable, type FieldError } from '@tandem/domain';
import { User } from '../users/user.entity';
import { CsvSyntaxError, matchColumns, normaliseHeader, parseCsvRecords } from './csv';
import { isUuid } from './id.pipe';
import { ValidationFailed } from './validation';

/** Imports read a whole file at once; past this many rows, split the file. */
export const MAX_IMPORT_ROWS = 5000;

/** What an import reads: per column, the names people may give it, the export's name first. */
export interface CsvImportColumns<C extends string> {
  aliases: Readonly<Record<C, readonly string[]>>;
  /** the export's columns that the import knows and leaves alone (computed, or who changed what) */
  readOnly?: readonly string[];
}

/** What an import's answer says of the header, so nobody loses a column without being told. */
export interface ImportHeader {
  /** header cells that name no column the import reads, as written: their cells were not read */
  ignoredColumns: string[];
  /** the columns the import reads, by the export's names */
  knownColumns: string[];
}

export interface CsvImportFile<C extends string> extends ImportHeader {
  /** the columns the header named, in the file's order */
  columns: C[];
  /** non-blank rows, by physical line, with each named column's text */
  rows: { line: number; values: Partial<Record<C, string>> }[];
}

/**
 * Reads an import file: parses the CSV, matches the header against the aliases (case, spaces, `_`
 * and `-` ignored), and drops blank rows. A file that cannot be read at all — bad quoting, no
 * header, a duplicated or no usable column, too many rows — is a 400 on `body`. Other columns are
 * no reason to refuse a file (other tools' exports have plenty); they are listed in `ignoredColumns`.
 */
export function readCsvImport<C extends string>(text: string, { aliases, readOnly = [] }: CsvImportColumns<C>): CsvImportFile<C> {
  const knownColumns = (Object.values(aliases) as (readonly string[])[]).map((names) => names[0]!);
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
  if (!columns.some((c) => c !== 'id')) {
    throw new ValidationFailed([{ field: 'body', reason: `the first line names none of the columns ${knownColumns.filter((c) => c !== 'id').join(', ')}` }]);
  }
  const known = new Set(readOnly.map(normaliseHeader));
  const ignoredColumns = match.ignored.map((name) => name.trim()).filter((name) => !known.has(normaliseHeader(name)));
  const rows = body
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => ({ line: r.line, values: Object.fromEntries(columns.map((c) => [c, r.cells[match.columns[c]!] ?? ''])) as Partial<Record<C, string>> }));
  if (rows.length > MAX_IMPORT_ROWS) throw new ValidationFailed([{ field: 'body', reason: `must have at most ${MAX_IMPORT_ROWS} rows` }]);
  return { columns, rows, ignoredColumns, knownColumns };
}

export const importHeader = (file: ImportHeader): ImportHeader => ({ ignoredColumns: file.ignoredColumns, knownColumns: file.knownColumns });

/**
 * A real run of a file with any row error writes nothing: 400 with every error by line, and the
 * rows and header as a dry run reports them.
 */
export function refuseImport(file: ImportHeader, rows: readonly { line: number; errors: FieldError[] }[]): never {
  const errors = rows.flatMap((r) => r.errors.map((e) => ({ field: `line ${r.line}: ${e.field}`, reason: e.reason })));
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'The file has errors; nothing was imported', errors, dryRun: false, valid: false, ...importHeader(file), rows });
}

/** A new row's title, when the file has no title column: said so, not the schema's "must not be empty". */
export function titleColumnMissing(errors: FieldError[], values: { title?: string }): FieldError[] {
  if (values.title !== undefined) return errors;
  return errors.map((e) => (e.field === 'title' ? { field: 'title', reason: 'the file has no title column, and a new row needs a title' } : e));
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

/** A person an owner cell names. Deactivated people too: naming a record's current owner is no change. */
export interface NamedPerson {
  id: string;
  active: boolean;
}

/** The people `emails` name, by lower-cased email, in one query. */
export async function peopleByEmail(em: EntityManager, emails: string[]): Promise<Map<string, NamedPerson>> {
  const people = emails.length ? await em.find(User, { email: { $in: emails } }, { fields: ['id', 'email', 'active'] }) : [];
  return new Map(people.map((u) => [u.email, { id: u.id, active: u.active }]));
}

/** The request body of an import: the CSV text itself, sent as text/csv. */
export function csvText(body: unknown): string {
  if (typeof body === 'string') return body;
  throw new UnsupportedMediaTypeException({ statusCode: 415, error: 'Unsupported Media Type', message: 'Send the file as the request body with Content-Type: text/csv' });
}
