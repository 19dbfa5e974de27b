import { describe, expect, it } from 'vitest';
import { assignPresenceColors, preferredColor, PRESENCE_COLORS, readPresenceUser, type PresenceClaim } from './presence.js';

/** Two user ids whose preferred colours are the same one (as the demo PM's and partner's were). */
function collidingIds(): [string, string] {
  const first = 'user-0';
  for (let i = 1; i < 1000; i++) {
    const other = `user-${i}`;
    if (preferredColor(other) === preferredColor(first)) return [first, other];
  }
  throw new Error('no two ids share a colour');
}

/** Ids whose preferred colours differ from each other. */
function distinctIds(count: number): string[] {
  const ids: string[] = [];
  const used = new Set<string>();
  for (let i = 0; ids.length < count; i++) {
    const id = `person-${i}`;
    if (used.has(preferredColor(id))) continue;
    used.add(preferredColor(id));
    ids.push(id);
  }
  return ids;
}

interface Client {
  clientId: number;
  userId: string;
  since: number;
  color: string;
}

/**
 * Clients present in one document, each joining with its preferred colour and then, one at a time
 * in the given order, publishing the colour it computes from everyone's states (as the session does
 * on every awareness change), until a whole round changes nothing. Returns how many rounds it took.
 */
function settle(clients: Client[], order: number[] = clients.map((_, i) => i)): number {
  for (let round = 1; round <= 20; round++) {
    let changed = false;
    for (const i of order) {
      const client = clients[i]!;
      const mine = assignPresenceColors(clients).get(client.userId)!;
      if (mine !== client.color) {
        client.color = mine;
        changed = true;
      }
    }
    if (!changed) return round;
  }
  throw new Error('the colours never settled');
}

const join = (clientId: number, userId: string, since: number): Client => ({ clientId, userId, since, color: preferredColor(userId) });

describe('presence colours', () => {
  it('gives each person a stable preferred colour from the palette', () => {
    expect(preferredColor('a-user-id')).toBe(preferredColor('a-user-id'));
    expect(PRESENCE_COLORS).toContain(preferredColor('someone-else'));
  });

  it('gives two people with the same preferred colour different colours', () => {
    const [a, b] = collidingIds();
    const colors = assignPresenceColors([
      { clientId: 7, userId: a, color: preferredColor(a), since: 1000 },
      { clientId: 3, userId: b, color: preferredColor(b), since: 2000 },
    ]);
    expect(colors.get(a)).not.toBe(colors.get(b));
  });

  it('lets whoever opened the document first keep their colour; the newcomer takes the first free one after theirs', () => {
    const [a, b] = collidingIds();
    const preferred = preferredColor(a);
    const next = PRESENCE_COLORS[(PRESENCE_COLORS.indexOf(preferred as (typeof PRESENCE_COLORS)[number]) + 1) % PRESENCE_COLORS.length];
    // b has the smaller clientID but came later: a keeps the colour
    const colors = assignPresenceColors([
      { clientId: 900, userId: a, color: preferred, since: 1000 },
      { clientId: 5, userId: b, color: preferred, since: 2000 },
    ]);
    expect(colors.get(a)).toBe(preferred);
    expect(colors.get(b)).toBe(next);
  });

  it('breaks a tie on the opening time by the smaller awareness clientID, whichever order the states come in', () => {
    const [a, b] = collidingIds();
    const claims: PresenceClaim[] = [
      { clientId: 42, userId: a, color: preferredColor(a), since: 1000 },
      { clientId: 17, userId: b, color: preferredColor(b), since: 1000 },
    ];
    const one = assignPresenceColors(claims);
    const other = assignPresenceColors([...claims].reverse());
    expect(one.get(b)).toBe(preferredColor(b));
    expect(one.get(a)).not.toBe(preferredColor(a));
    expect(Object.fromEntries(other)).toEqual(Object.fromEntries(one));
    // clients that say nothing about when they opened the document rank after those that do
    const old = assignPresenceColors([
      { clientId: 1, userId: a, color: preferredColor(a) },
      { clientId: 99, userId: b, color: preferredColor(b), since: 5000 },
    ]);
    expect(old.get(b)).toBe(preferredColor(b));
  });

  it('settles at once when both sides publish what they computed, and never flip-flops', () => {
    const [a, b] = collidingIds();
    for (const [sinceA, sinceB] of [
      [1000, 2000],
      [2000, 1000],
      [1000, 1000],
    ]) {
      const clients = [join(10, a, sinceA!), join(20, b, sinceB!)];
      // both compute before either has seen the other's new colour, then again
      expect(settle(clients, [0, 1])).toBeLessThanOrEqual(2);
      expect(clients[0]!.color).not.toBe(clients[1]!.color);
      const before = clients.map((c) => c.color);
      expect(settle(clients, [1, 0])).toBe(1);
      expect(clients.map((c) => c.color)).toEqual(before);

      // both compute from the same states at the same moment, then publish
      const together = [join(10, a, sinceA!), join(20, b, sinceB!)];
      for (let round = 0; round < 3; round++) {
        const computed = together.map((c) => assignPresenceColors(together).get(c.userId)!);
        together.forEach((c, i) => (c.color = computed[i]!));
        expect(together.map((c) => c.color)).toEqual(before);
      }
    }
  });

  it('keeps everyone in a different colour as up to nine people join in any order, and nobody already there changes', () => {
    let seed = 12345;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 50; trial++) {
      const clients: Client[] = [];
      for (let n = 0; n < PRESENCE_COLORS.length; n++) {
        const before = clients.map((c) => c.color);
        clients.push(join(Math.floor(random() * 2 ** 31), `u${Math.floor(random() * 40)}-${n}`, 1000 + n));
        const order = clients.map((_, i) => i).sort(() => random() - 0.5);
        settle(clients, order);
        expect(new Set(clients.map((c) => c.color)).size).toBe(clients.length);
        expect(clients.slice(0, -1).map((c) => c.color)).toEqual(before);
      }
    }
  });

  it('gives someone their own colour back once the person who had it leaves, and moves nobody else', () => {
    const [a, b] = collidingIds();
    const [c] = distinctIds(9).filter((id) => preferredColor(id) !== preferredColor(a));
    const clients = [join(1, a, 1000), join(2, c!, 1500), join(3, b, 2000)];
    settle(clients);
    const cColor = clients[1]!.color;
    expect(clients[2]!.color).not.toBe(preferredColor(b));
    clients.splice(0, 1); // a closes the tab
    settle(clients);
    expect(clients.find((x) => x.userId === b)!.color).toBe(preferredColor(b));
    expect(clients.find((x) => x.userId === c)!.color).toBe(cColor);
  });

  it('keeps the colour someone shows when their own is still taken, rather than reshuffling', () => {
    const [a, b] = collidingIds();
    const shown = PRESENCE_COLORS.find((c) => c !== preferredColor(a))!;
    const colors = assignPresenceColors([
      { clientId: 1, userId: a, color: preferredColor(a), since: 1000 },
      { clientId: 2, userId: b, color: shown, since: 2000 },
    ]);
    expect(colors.get(b)).toBe(shown);
  });

  it('counts several tabs of one person once, in one colour', () => {
    const [a, b] = collidingIds();
    const colors = assignPresenceColors([
      { clientId: 1, userId: a, color: preferredColor(a), since: 1000 },
      { clientId: 2, userId: b, color: preferredColor(b), since: 2000 },
      { clientId: 3, userId: a, color: preferredColor(a), since: 3000 },
    ]);
    expect(colors.size).toBe(2);
    expect(colors.get(a)).toBe(preferredColor(a));
    expect(colors.get(b)).not.toBe(colors.get(a));
  });

  it('shares colours only once there are more people than colours, the least used first', () => {
    // ten people who all prefer the same colour
    const ids: string[] = [];
    for (let i = 0; ids.length < PRESENCE_COLORS.length + 1; i++) if (preferredColor(`crowd-${i}`) === preferredColor('crowd-0')) ids.push(`crowd-${i}`);
    const colors = assignPresenceColors(ids.map((id, i) => ({ clientId: i + 1, userId: id, since: i })));
    const counts = new Map<string, number>();
    for (const color of colors.values()) counts.set(color, (counts.get(color) ?? 0) + 1);
    expect(counts.size).toBe(PRESENCE_COLORS.length);
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
  });

  it('never shows a colour from outside the palette', () => {
    const colors = assignPresenceColors([{ clientId: 1, userId: 'u1', color: '#ffffff', since: 1 }]);
    expect(colors.get('u1')).toBe(preferredColor('u1'));
  });

  it('keeps white text readable (at least 6:1) on every colour', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    for (const color of PRESENCE_COLORS) expect((1 + 0.05) / (luminance(color) + 0.05)).toBeGreaterThanOrEqual(6);
  });
});

describe('reading presence from awareness', () => {
  it('reads only well-formed presence and never trusts a colour', () => {
    expect(readPresenceUser({ user: { id: 'u1', name: 'Pat', color: '#0F6B4F', since: 12 } })).toEqual({ id: 'u1', name: 'Pat', color: '#0f6b4f', since: 12 });
    expect(readPresenceUser({ user: { id: 'u1', name: 'Pat', color: '#123abc' } })).toEqual({ id: 'u1', name: 'Pat', color: preferredColor('u1') });
    expect(readPresenceUser({ user: { id: 'u1', name: 'Pat', color: 'red; background:url(x)', since: 'soon' } })).toEqual({ id: 'u1', name: 'Pat', color: preferredColor('u1') });
    expect(readPresenceUser({ user: { name: 'No id' } })).toBeNull();
    expect(readPresenceUser(null)).toBeNull();
  });
});
