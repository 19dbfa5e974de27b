import type { FieldChanges } from './activity.entity';

/**
 * Before/after of the fields that changed, for the activity log. Values are compared as JSON so
 * dates and arrays compare by content.
 */
export function diffFields<T extends object>(before: T, after: Partial<T>, fields: readonly (keyof T & string)[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    if (!(field in after)) continue;
    const was = normalise(before[field]);
    const now = normalise(after[field]);
    if (JSON.stringify(was) !== JSON.stringify(now)) changes[field] = { before: was, after: now };
  }
  return changes;
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object' && 'id' in value) return (value as { id: unknown }).id;
  return value ?? null;
}

/** Fields whose words are not just their name split at the capitals. */
const FIELD_WORDS: Record<string, string> = { plannedGoLive: 'planned go-live', dueOffsetDays: 'due date offset', ownerTeam: 'owning team', ownerUser: 'owner' };

/** The changed fields as words for an activity summary: "name, target date, planned go-live". */
export function changedFieldWords(changes: FieldChanges): string {
  const words = Object.keys(changes).map((field) => FIELD_WORDS[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
  return [...new Set(words)].join(', ');
}
