/**
 * How people look in a shared document: a colour picked from their id (the same in every tab and
 * for every viewer), and initials for their avatar. Every colour carries white text at ≥ 6:1.
 */
export const PERSON_COLORS = ['#1f4e8c', '#8a1c7c', '#0f6b4f', '#a3301d', '#5b3fa8', '#005f73', '#7a4b00', '#b0135a', '#2f5d0a'] as const;

export interface PresenceUser {
  /** the person's user id (one person may have several tabs open) */
  id: string;
  name: string;
  /** #rrggbb, as the caret extension requires */
  color: string;
}

export function colorFor(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  return PERSON_COLORS[Math.abs(hash) % PERSON_COLORS.length] ?? PERSON_COLORS[0];
}

/** "Pat Morgan" → "PM", "cher" → "C". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return `${first}${last}`.toUpperCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The `user` field of an awareness state, when it has the right shape (anyone can write anything there). */
export function readPresenceUser(state: unknown): PresenceUser | null {
  if (!isRecord(state) || !isRecord(state.user)) return null;
  const { id, name, color } = state.user;
  if (typeof id !== 'string' || typeof name !== 'string') return null;
  return { id, name: name.slice(0, 120), color: typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color) ? color : colorFor(id) };
}
