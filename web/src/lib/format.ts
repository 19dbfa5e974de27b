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

// A fixed locale and UTC so the server and the browser render the same text (no hydration drift).
const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

/** 2026-03-12 → 12 Mar 2026; null → an em dash. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date);
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
