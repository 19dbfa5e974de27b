/**
 * Presence colours: which colour each person's caret and avatar has in a shared document.
 *
 * Everyone gets a preferred colour from their user id, but with nine colours about one pair in
 * nine shares it. So the colours of the people present are assigned together, from what every
 * client sees in awareness: people are taken in the order they opened the document (`since`, then
 * the smaller awareness clientID on a tie, so a newcomer adapts rather than someone already
 * there), and each keeps their preferred colour when nobody before them has it, else the colour
 * they show now, else the first free one after their preferred one. Every client computes the
 * same answer from the same awareness states, and a client that publishes the colour it was
 * given leaves the answer unchanged, so nobody flip-flops. Only when more people than colours are
 * present do two share one (the least used).
 *
 * Nothing here imports Yjs: the web's server render may use it.
 */

/** Every colour carries white text at ≥ 6:1, and shows against the light and the dark theme. */
export const PRESENCE_COLORS = ['#1f4e8c', '#8a1c7c', '#0f6b4f', '#a3301d', '#5b3fa8', '#005f73', '#7a4b00', '#b0135a', '#2f5d0a'] as const;

/** What a client publishes as the `user` field of its awareness state. */
export interface PresenceUser {
  /** the person's user id (one person may have several tabs open); the server sets it */
  id: string;
  /** the server sets it */
  name: string;
  /** #rrggbb, as the caret extension requires: the colour this client shows for its person */
  color: string;
  /** when this client opened the document (ms since the epoch, by its own clock) */
  since?: number;
}

/** One awareness client present in a document, as read from its state. */
export interface PresenceClaim {
  clientId: number;
  userId: string;
  /** the colour it shows now, if any (only a palette colour counts) */
  color?: string | null;
  /** when it opened the document, as it says; missing ranks after everyone who says */
  since?: number | null;
}

/** The colour a person gets when no one before them in the document has it. */
export function preferredColor(userId: string, palette: readonly string[] = PRESENCE_COLORS): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (Math.imul(hash, 31) + userId.charCodeAt(i)) | 0;
  return palette[Math.abs(hash) % palette.length] ?? palette[0] ?? '#1f4e8c';
}

interface Person {
  userId: string;
  /** the earliest of the person's clients */
  since: number;
  clientId: number;
  color: string | null;
}

const rankOf = (since: number | null | undefined) => (typeof since === 'number' && Number.isFinite(since) ? since : Number.POSITIVE_INFINITY);

function earlier(a: { since: number; clientId: number }, b: { since: number; clientId: number }): number {
  return a.since - b.since || a.clientId - b.clientId;
}

/**
 * The colour of each person present (by user id), all different while the palette allows. Several
 * clients of one person (tabs) are one person, ranked by their earliest client, whose colour counts.
 */
export function assignPresenceColors(claims: Iterable<PresenceClaim>, palette: readonly string[] = PRESENCE_COLORS): Map<string, string> {
  const inPalette = new Set(palette.map((c) => c.toLowerCase()));
  const people = new Map<string, Person>();
  for (const claim of claims) {
    const color = typeof claim.color === 'string' && inPalette.has(claim.color.toLowerCase()) ? claim.color.toLowerCase() : null;
    const candidate: Person = { userId: claim.userId, since: rankOf(claim.since), clientId: claim.clientId, color };
    const known = people.get(claim.userId);
    if (!known || earlier(candidate, known) < 0) people.set(claim.userId, { ...candidate, color: candidate.color ?? known?.color ?? null });
    else if (!known.color) known.color = color;
  }

  const colors = palette.map((c) => c.toLowerCase());
  const uses = colors.map(() => 0);
  const assigned = new Map<string, string>();
  for (const person of [...people.values()].sort(earlier)) {
    const preferred = colors.indexOf(preferredColor(person.userId, colors));
    const current = person.color === null ? -1 : colors.indexOf(person.color);
    let pick: number;
    if (uses[preferred] === 0) pick = preferred;
    else if (current >= 0 && uses[current] === 0) pick = current;
    else {
      // the least used colour (a free one while there is one), the first after the preferred one
      pick = preferred;
      for (let step = 1; step < colors.length; step++) {
        const i = (preferred + step) % colors.length;
        if ((uses[i] ?? 0) < (uses[pick] ?? 0)) pick = i;
      }
    }
    uses[pick] = (uses[pick] ?? 0) + 1;
    assigned.set(person.userId, palette[pick] ?? colors[pick] ?? '#1f4e8c');
  }
  return assigned;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The `user` field of an awareness state, when it has the right shape (anyone can write anything
 * there). A colour outside the palette is never shown: the person's preferred one stands in.
 */
export function readPresenceUser(state: unknown): PresenceUser | null {
  if (!isRecord(state) || !isRecord(state.user)) return null;
  const { id, name, color, since } = state.user;
  if (typeof id !== 'string' || typeof name !== 'string') return null;
  const known = typeof color === 'string' && PRESENCE_COLORS.some((c) => c === color.toLowerCase());
  const user: PresenceUser = { id, name: name.slice(0, 120), color: known ? color.toLowerCase() : preferredColor(id) };
  if (typeof since === 'number' && Number.isFinite(since)) user.since = since;
  return user;
}
