import type { ProgramRole, ProgramStatus, OrgRole } from '@tandem/domain';

const STATUS_LABELS: Record<ProgramStatus, string> = {
  planning: 'Planning',
  active: 'Active',
  on_hold: 'On hold',
  completed: 'Completed',
  archived: 'Archived',
};

const PROGRAM_ROLE_LABELS: Record<ProgramRole, string> = { owner: 'Owner', editor: 'Editor', viewer: 'Viewer' };

const ORG_ROLE_LABELS: Record<OrgRole, string> = { admin: 'Admin', member: 'Member', viewer: 'Leadership (read only)' };

export const statusLabel = (status: ProgramStatus): string => STATUS_LABELS[status] ?? status;
export const programRoleLabel = (role: ProgramRole | null): string => (role ? (PROGRAM_ROLE_LABELS[role] ?? role) : 'Not a member');
export const orgRoleLabel = (role: OrgRole): string => ORG_ROLE_LABELS[role] ?? role;

// A fixed locale (en-GB's short months, as Intl writes them) and UTC, so the server and the
// browser render the same text (no hydration drift). Written out rather than with
// Intl.DateTimeFormat: the first formatter a page makes loads the locale data, 30–40 ms of main
// thread on a desktop, several times that on a phone, in the middle of hydration.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const twoDigits = (n: number) => String(n).padStart(2, '0');

function parse(value: string): Date {
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}

/** 12 Mar (UTC): chart axes. */
export const formatDay = (date: Date): string => `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;

/** 2026-03-12 → 12 Mar 2026; null → an em dash. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = parse(value);
  return Number.isNaN(date.getTime()) ? value : `${formatDay(date)} ${date.getUTCFullYear()}`;
}

/** An instant → 12 Mar 2026, 14:05 UTC. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${formatDay(date)} ${date.getUTCFullYear()}, ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())} UTC`;
}

/**
 * Where to go after signing in: only a path on this site (never `//evil.example` or a full URL),
 * falling back to the programs list.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login/')) return '/';
  return next;
}

/**
 * A reason the api or a schema gave for one field, as a sentence beside that field: field names in
 * it become words (`dueDate` → "the due date"), and a reason that is about the field itself reads
 * as one ("Target date must not be before the start date", not "Target date targetDate must…").
 */
export function fieldReason(label: string, reason: string): string {
  const text = reason.replace(/\b[a-z]+(?:[A-Z][a-z]*)+\b/g, (name) => `the ${name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`);
  const own = `the ${label.toLowerCase()} `;
  if (text.toLowerCase().startsWith(own)) return `${label} ${text.slice(own.length)}`;
  if (text.startsWith('the ')) return `T${text.slice(1)}`;
  return `${label} ${text}`;
}
