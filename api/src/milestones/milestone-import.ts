import {
  createMilestoneSchema,
  isClosed,
  parseWith,
  updateMilestoneSchema,
  type ChecklistState,
  type CreateMilestoneInput,
  type FieldError,
  type UpdateMilestoneInput,
} from '@tandem/domain';
import { changesNothing, emailsIn, readCsvImport, titleColumnMissing, type CsvImportFile, type NamedPerson } from '../common/csv-import';
import { isUuid } from '../common/id.pipe';

/**
 * Reading a milestones CSV into validated creates and updates, and rows that change nothing. Pure:
 * what it needs from the database (the program's milestones, people by email, open linked items)
 * is handed in, so the dry run and the real run decide exactly the same way.
 */

/** The export's columns, in its order; these are also the names row errors use. */
export const EXPORT_COLUMNS = [
  'id',
  'title',
  'description',
  'owner_email',
  'start_date',
  'due_date',
  'status',
  'workstream',
  'position',
  'baseline_due_date',
  'slip_days',
] as const;

/** Names people may give each importable column (compared ignoring case, spaces and `_`), the export's first. */
const ALIASES = {
  id: ['id'],
  title: ['title'],
  description: ['description'],
  owner: ['owner_email', 'owner'],
  startDate: ['start_date', 'start'],
  dueDate: ['due_date', 'due'],
  status: ['status'],
  workstream: ['workstream'],
  position: ['position'],
} as const;
type Column = keyof typeof ALIASES;

/** Computed columns of the export: recognised, then left alone. */
const READ_ONLY = ['baseline_due_date', 'slip_days'];

/** Error field names: the export's column names, which people see in their spreadsheet. */
const FIELD: Record<string, string> = { ownerId: 'owner_email', owner: 'owner_email', startDate: 'start_date', dueDate: 'due_date' };

export type ImportFile = CsvImportFile<Column>;

/** Parses the text and matches the header; a file that cannot be read at all is a 400 on `body`. */
export function readImportFile(text: string): ImportFile {
  return readCsvImport(text, { aliases: ALIASES, readOnly: READ_ONLY });
}

/** A stored milestone, in the shape of an update's fields, so a row can be compared with it. */
export interface ExistingMilestone {
  id: string;
  title: string;
  description: string;
  ownerId: string | null;
  startDate: string | null;
  dueDate: string | null;
  status: string;
  position: number;
  workstream: string | null;
}

export interface ImportLookups {
  /** the program's milestones by id */
  milestones: ReadonlyMap<string, ExistingMilestone>;
  /** the people the file names, by lower-cased email */
  people: ReadonlyMap<string, NamedPerson>;
  /** states of the checklist items linked to each milestone */
  links: ReadonlyMap<string, readonly { state: ChecklistState }[]>;
}

export type PlannedRow =
  | { line: number; action: 'create'; errors: FieldError[]; input?: CreateMilestoneInput }
  | { line: number; action: 'update'; id: string; errors: FieldError[]; input?: UpdateMilestoneInput }
  /** a valid row of an existing milestone whose every column already holds the stored value */
  | { line: number; action: 'unchanged'; id: string; errors: FieldError[]; input?: undefined };

/** The lower-cased emails a file names, for one lookup. Unstorable text never reaches a query. */
export const ownerEmailsIn = (file: ImportFile): string[] => emailsIn(file.rows.map((r) => r.values.owner));

export function planImport(file: ImportFile, lookups: ImportLookups): PlannedRow[] {
  const seen = new Map<string, number>();
  return file.rows.map(({ line, values }) => {
    const id = values.id?.trim().toLowerCase() ?? '';
    const existing = isUuid(id) ? lookups.milestones.get(id) : undefined;
    const errors: FieldError[] = [];
    const raw = rawInput(values, lookups, errors, existing);
    if (!existing) {
      const parsed = parseWith(createMilestoneSchema, raw);
      if (!parsed.ok) return { line, action: 'create', errors: [...errors, ...titleColumnMissing(renamed(parsed.errors), values)] };
      return { line, action: 'create', errors, ...(errors.length ? {} : { input: parsed.value }) };
    }
    const earlier = seen.get(existing.id);
    if (earlier !== undefined) errors.push({ field: 'id', reason: `the same milestone is already on line ${earlier}` });
    seen.set(existing.id, line);
    const parsed = parseWith(updateMilestoneSchema, raw);
    if (!parsed.ok) return { line, action: 'update', id: existing.id, errors: [...errors, ...renamed(parsed.errors)] };
    errors.push(...mergedErrors(existing, parsed.value, lookups));
    if (errors.length) return { line, action: 'update', id: existing.id, errors };
    if (changesNothing(parsed.value, existing)) return { line, action: 'unchanged', id: existing.id, errors };
    return { line, action: 'update', id: existing.id, errors, input: parsed.value };
  });
}

/** The row as a request body: only the columns the file has; empty cells clear what may be cleared. */
function rawInput(values: Partial<Record<Column, string>>, lookups: ImportLookups, errors: FieldError[], existing: ExistingMilestone | undefined): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  if (values.title !== undefined) raw.title = values.title;
  if (values.description !== undefined) raw.description = values.description;
  if (values.owner !== undefined) {
    const email = values.owner.trim().toLowerCase();
    const person = lookups.people.get(email);
    if (!email) raw.ownerId = null;
    // the milestone's own owner, even one deactivated since, is no change: only a new owner must be active
    else if (person && (person.active || person.id === existing?.ownerId)) raw.ownerId = person.id;
    else errors.push({ field: 'owner_email', reason: 'no active person has this email' });
  }
  for (const key of ['startDate', 'dueDate', 'workstream'] as const) {
    const cell = values[key];
    if (cell !== undefined) raw[key] = cell.trim() === '' ? null : cell.trim();
  }
  const status = values.status?.trim();
  if (status) raw.status = status.toLowerCase().replace(/[\s-]+/g, '_');
  const position = values.position?.trim();
  if (position) {
    if (/^[+-]?\d+(\.\d+)?$/.test(position)) raw.position = Number(position);
    else errors.push({ field: 'position', reason: 'must be a whole number' });
  }
  // A new milestone without a title column gets the schema's error on title (worded by titleColumnMissing).
  if (!existing && raw.title === undefined) raw.title = '';
  return raw;
}

/** What only shows against the stored milestone: date order after merging, and the checklist gate. */
function mergedErrors(existing: ExistingMilestone, input: UpdateMilestoneInput, lookups: ImportLookups): FieldError[] {
  const errors: FieldError[] = [];
  const start = input.startDate !== undefined ? input.startDate : existing.startDate;
  const due = input.dueDate !== undefined ? input.dueDate : existing.dueDate;
  if (start && due && due < start) errors.push({ field: input.dueDate !== undefined ? 'due_date' : 'start_date', reason: 'due_date must not be before start_date' });
  if (input.status === 'done' && existing.status !== 'done') {
    const open = (lookups.links.get(existing.id) ?? []).filter((i) => !isClosed(i.state)).length;
    if (open) errors.push({ field: 'status', reason: `cannot be done: ${open} linked checklist item${open === 1 ? ' is' : 's are'} still open` });
  }
  return errors;
}

/** Schema errors speak of request fields; a spreadsheet has columns, so name those (field and reason). */
const renamed = (errors: FieldError[]): FieldError[] =>
  errors.map((e) => ({ field: FIELD[e.field] ?? e.field, reason: e.reason.replace(/\b(ownerId|startDate|dueDate)\b/g, (name) => FIELD[name]!) }));
