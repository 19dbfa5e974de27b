import { formatDate, formatDateTime } from '$lib/format';
import { STATE_LONG } from '$lib/rollout/labels';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** dueDate → Due date, ownerId → Owner */
export function activityField(field: string): string {
  const words = field
    .replace(/Id(s?)$/, '$1')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * One before or after value of an activity entry, as words: ids as the names they stand for (in
 * `names`, by lower-case id), dates as dates, and a recorded thing (a checklist item the wave went
 * live over, a team…) by its title or name, never as JSON.
 */
export function activityValue(value: unknown, names: Record<string, string>): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') {
    if (UUID.test(value)) return names[value.toLowerCase()] ?? `#${value.slice(0, 8)}`;
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
    if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value);
    return value.replace(/_/g, ' ');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length ? value.map((v) => activityValue(v, names)).join(', ') : 'none';
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const label = typeof o.title === 'string' ? o.title : typeof o.name === 'string' ? o.name : null;
    if (label === null) return typeof o.id === 'string' ? activityValue(o.id, names) : JSON.stringify(value);
    const state = typeof o.state === 'string' ? (STATE_LONG[o.state as keyof typeof STATE_LONG] ?? activityValue(o.state, names)) : null;
    return state ? `${label} (${state})` : label;
  }
  return String(value);
}
