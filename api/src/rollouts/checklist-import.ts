import {
  CHECKLIST_STATES,
  createChecklistItemSchema,
  parseWith,
  updateChecklistItemSchema,
  type ChecklistState,
  type CreateChecklistItemInput,
  type FieldError,
  type UpdateChecklistItemInput,
} from '@tandem/domain';
import { changesNothing, emailsIn, readCsvImport, titleColumnMissing, type CsvImportFile, type NamedPerson } from '../common/csv-import';
import { isUuid } from '../common/id.pipe';
import { ownerIdsAfter } from './rollout.query';

/**
 * Reading a checklist CSV into validated creates and updates of one wave's items, and rows that
 * change nothing. Pure: teams, people and the wave's items are handed in, so the dry run and the
 * real run decide the same way.
 * Columns are matched by header; `changed_by` and `changed_at` of the export are read-only.
 */

/** Names people may give each column (compared ignoring case, spaces and `_`), the export's first. */
const ALIASES = {
  id: ['id'],
  title: ['title'],
  owner: ['owner', 'owner_email', 'owner_team'],
  required: ['required'],
  dueDate: ['due_date', 'due'],
  state: ['state', 'status'],
  reason: ['reason'],
} as const;
type Column = keyof typeof ALIASES;

/** Error field names are the export's column names, which people see in their spreadsheet. */
const FIELD: Record<string, string> = { dueDate: 'due_date', ownerTeamId: 'owner', ownerUserId: 'owner' };
const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);
export type ChecklistImportFile = CsvImportFile<Column>;

export function readChecklistFile(text: string): ChecklistImportFile {
  return readCsvImport(text, { aliases: ALIASES, readOnly: ['changed_by', 'changed_at'] });
}

/** A stored item, in the shape of an update's fields, so a row can be compared with it. */
export interface ExistingItem {
  id: string;
  title: string;
  ownerTeamId: string | null;
  ownerUserId: string | null;
  required: boolean;
  dueDate: string | null;
  state: ChecklistState;
  reason: string | null;
}

export interface ChecklistImportLookups {
  /** the wave's items by id */
  items: ReadonlyMap<string, ExistingItem>;
  /** teams by lower-cased name */
  teams: ReadonlyMap<string, string>;
  /** the people the file names, by lower-cased email */
  people: ReadonlyMap<string, NamedPerson>;
  /** why no item may be added to the wave (`checklistClosedReason`), or null */
  closed: string | null;
}

export type PlannedItem =
  | { line: number; action: 'create'; errors: FieldError[]; input?: CreateChecklistItemInput & { state?: ChecklistState; reason?: string | null } }
  | { line: number; action: 'update'; id: string; errors: FieldError[]; input?: UpdateChecklistItemInput }
  /** a valid row of an existing item whose every column already holds the stored value */
  | { line: number; action: 'unchanged'; id: string; errors: FieldError[]; input?: undefined };

/** The lower-cased emails the owner column names, for one lookup. */
export const ownerEmailsIn = (file: ChecklistImportFile): string[] => emailsIn(file.rows.map((r) => r.values.owner));

export function planChecklistImport(file: ChecklistImportFile, lookups: ChecklistImportLookups): PlannedItem[] {
  const seen = new Map<string, number>();
  return file.rows.map(({ line, values }) => {
    const id = values.id?.trim().toLowerCase() ?? '';
    const existing = isUuid(id) ? lookups.items.get(id) : undefined;
    const errors: FieldError[] = [];
    const raw = rawInput(values, lookups, errors, existing);
    if (!existing) {
      // the row's error, like any other: the file's updates of existing items are still checked
      if (lookups.closed) errors.unshift({ field: 'row', reason: lookups.closed });
      const { state, reason, ...fields } = raw;
      if (fields.title === undefined) fields.title = '';
      const parsed = parseWith(createChecklistItemSchema, fields);
      const stateParsed = parseWith(updateChecklistItemSchema, { state, reason });
      errors.push(...(parsed.ok ? [] : titleColumnMissing(renamed(parsed.errors), values)), ...(stateParsed.ok ? [] : renamed(stateParsed.errors)));
      if (errors.length || !parsed.ok || !stateParsed.ok) return { line, action: 'create', errors };
      return { line, action: 'create', errors, input: { ...parsed.value, state: stateParsed.value.state, reason: stateParsed.value.reason } };
    }
    const earlier = seen.get(existing.id);
    if (earlier !== undefined) errors.push({ field: 'id', reason: `the same item is already on line ${earlier}` });
    seen.set(existing.id, line);
    const parsed = parseWith(updateChecklistItemSchema, raw);
    if (!parsed.ok) return { line, action: 'update', id: existing.id, errors: [...errors, ...renamed(parsed.errors)] };
    errors.push(...mergedErrors(existing, parsed.value));
    if (errors.length) return { line, action: 'update', id: existing.id, errors };
    if (changesNothing({ ...parsed.value, ...ownerIdsAfter(parsed.value, existing) }, existing)) return { line, action: 'unchanged', id: existing.id, errors };
    return { line, action: 'update', id: existing.id, errors, input: parsed.value };
  });
}

/** The row as a request body: only the columns the file has; empty cells clear what may be cleared. */
function rawInput(values: Partial<Record<Column, string>>, lookups: ChecklistImportLookups, errors: FieldError[], existing: ExistingItem | undefined): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  if (values.title !== undefined) raw.title = values.title;
  if (values.owner !== undefined) {
    const owner = values.owner.trim().toLowerCase();
    const team = lookups.teams.get(owner);
    const person = team ? undefined : lookups.people.get(owner);
    const named = !owner ? { ownerTeamId: null, ownerUserId: null } : team ? { ownerTeamId: team } : person ? { ownerUserId: person.id } : undefined;
    // the item's own owner, even a person deactivated since, is no change: only a new owner must be active
    if (named && (!person || person.active || person.id === existing?.ownerUserId)) Object.assign(raw, named);
    else errors.push({ field: 'owner', reason: owner.includes('@') ? 'no active person has this email' : 'no team has this name' });
  }
  const required = values.required?.trim().toLowerCase();
  if (required) {
    if (YES.has(required)) raw.required = true;
    else if (NO.has(required)) raw.required = false;
    else errors.push({ field: 'required', reason: 'must be yes or no' });
  }
  if (values.dueDate !== undefined) raw.dueDate = values.dueDate.trim() === '' ? null : values.dueDate.trim();
  const state = values.state?.trim();
  if (state) {
    const named = state.toLowerCase().replace(/[\s-]+/g, '_').replace(/^to_do$/, 'todo');
    // said in the words of the app and its export, like `required`, not as the schema's enum
    if ((CHECKLIST_STATES as readonly string[]).includes(named)) raw.state = named;
    else errors.push({ field: 'state', reason: 'must be to do, done, not applicable or blocked' });
  }
  if (values.reason !== undefined) raw.reason = values.reason.trim() === '' ? null : values.reason;
  return raw;
}

/** A reason must still be there after merging with the stored item when it ends not applicable or blocked. */
function mergedErrors(existing: ExistingItem, input: UpdateChecklistItemInput): FieldError[] {
  const state = input.state ?? existing.state;
  const stateChanged = input.state !== undefined && input.state !== existing.state;
  const reason = input.reason !== undefined ? input.reason : stateChanged ? null : existing.reason;
  return (state === 'not_applicable' || state === 'blocked') && !reason ? [{ field: 'reason', reason: `is required while the state is ${state}` }] : [];
}

const renamed = (errors: FieldError[]): FieldError[] => errors.map((e) => ({ field: FIELD[e.field] ?? e.field, reason: e.reason }));
