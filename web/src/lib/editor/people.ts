/**
 * How people look in a shared document: initials for their avatar, and their colour — assigned
 * among the people present (`assignPresenceColors` in libs/collab-protocol) — as a CSS custom
 * property per person, so carets already drawn change colour with the avatars.
 */

/** "Pat Morgan" → "PM", "cher" → "C". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return `${first}${last}`.toUpperCase();
}

/** The custom property holding a person's colour, e.g. `--person-1b2c…` (any id made safe for CSS). */
export function personColorVar(id: string): string {
  return `--person-${id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}

/** The declarations that give each person present their colour, for an element around the carets. */
export function personColorStyle(people: readonly { id: string; color: string }[]): string {
  return people
    .filter((p) => /^#[0-9a-f]{6}$/i.test(p.color))
    .map((p) => `${personColorVar(p.id)}: ${p.color}`)
    .join('; ');
}
