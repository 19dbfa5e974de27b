import { childToJSON, cloneNode, DOC_FRAGMENT, linkCard, readBoard, RETRO_MAP, type CardLink } from '@tandem/collab-protocol';
import * as Y from 'yjs';

/**
 * Makes `target`'s text and retro board copies of `source`'s (a version), as new content in
 * `target`, so it merges with whatever collaborators do meanwhile instead of replacing the
 * document's history. Call it inside one transaction.
 *
 * Only what differs is changed: a paragraph (a top-level node of the text), a card's field or a
 * card's text that the version has as it is now stays the same Yjs item. So an edit a
 * collaborator made there while the restore was on its way (typing in a paragraph the restore
 * leaves alone, a vote on a card it does not touch) merges into the restored document; only an
 * edit inside something the restore replaces goes with what it replaced. Restoring the state a
 * document already has changes nothing.
 *
 * One thing is not taken from the version: what a card was turned into. A link records a
 * milestone or checklist item that exists in the plan whatever version the text is at, so a card
 * the version still has keeps the link it has now — restoring to before a conversion would
 * otherwise offer the conversion again, and make a second milestone.
 */
export function replaceContent(target: Y.Doc, source: Y.Doc): void {
  const links = new Map<string, CardLink>();
  for (const card of readBoard(target).cards) if (card.link) links.set(card.id, card.link);
  const relink = readBoard(source).cards.filter((card) => !card.link && links.has(card.id));
  // The version as it should end up: with those links (on a copy: the version is not ours to change).
  const wanted = relink.length ? copyOf(source) : source;
  try {
    for (const card of relink) linkCard(wanted, card.id, links.get(card.id)!);
    reconcileSequence(target.getXmlFragment(DOC_FRAGMENT), wanted.getXmlFragment(DOC_FRAGMENT), (node) => canonical(childToJSON(node)), copyNode);
    reconcileMap(target.getMap<unknown>(RETRO_MAP), wanted.getMap<unknown>(RETRO_MAP));
  } finally {
    if (wanted !== source) wanted.destroy();
  }
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** What a text node can be copied as; anything else (a Y.XmlHook) is not copied. */
function copyNode(node: unknown): unknown[] {
  return node instanceof Y.XmlElement || node instanceof Y.XmlText ? [cloneNode(node)] : [];
}

/** A Yjs value as plain data, for comparing. */
const plain = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.toJSON() : value);

/** JSON with object keys sorted, so equal data gives equal strings whatever the key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const copyValue = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.clone() : value);

function reconcileMap(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
  for (const key of [...target.keys()]) if (!source.has(key)) target.delete(key);
  source.forEach((value, key) => {
    const current = target.get(key);
    if (value instanceof Y.Map && current instanceof Y.Map) reconcileMap(current, value);
    else if (value instanceof Y.Text && current instanceof Y.Text && !(value instanceof Y.XmlText)) reconcileText(current, value.toString());
    else if (value instanceof Y.Array && current instanceof Y.Array) reconcileSequence(current, value, (v) => canonical(plain(v)), (v) => [copyValue(v)]);
    else if (!target.has(key) || canonical(plain(current)) !== canonical(plain(value)) || (value instanceof Y.AbstractType) !== (current instanceof Y.AbstractType)) target.set(key, copyValue(value));
  });
}

/** Replaces only the middle part that differs (plain text: a card's). */
function reconcileText(target: Y.Text, text: string): void {
  const current = target.toString();
  if (current === text) return;
  let start = 0;
  while (start < current.length && start < text.length && current[start] === text[start]) start++;
  let end = 0;
  while (end < current.length - start && end < text.length - start && current[current.length - 1 - end] === text[text.length - 1 - end]) end++;
  target.delete(start, current.length - start - end);
  target.insert(start, text.slice(start, text.length - end));
}

/** Above this many cells, the middle of two sequences is aligned around the items once in each, not exactly. */
const MAX_ALIGNMENT_CELLS = 4_000_000;

interface Sequence {
  readonly length: number;
  toArray(): unknown[];
  delete(index: number, length: number): void;
  insert(index: number, content: never[]): void;
}

/**
 * Turns `target` into a copy of `source`, keeping the children that are equal (by `key`) in the
 * common subsequence `alignment` finds, deleting the others and inserting copies of what is missing.
 */
function reconcileSequence(target: Sequence, source: Sequence, key: (child: unknown) => string, copy: (child: unknown) => unknown[]): void {
  const have = target.toArray();
  const want = source.toArray();
  const haveKeys = have.map(key);
  const wantKeys = want.map(key);
  const kept = alignment(haveKeys, wantKeys);
  // From the end, so the indexes still to come are not moved by the changes made.
  let nextHave = have.length;
  let nextWant = want.length;
  for (let k = kept.length; k >= 0; k--) {
    const [h, w] = k > 0 ? kept[k - 1]! : [-1, -1];
    if (nextHave - h - 1 > 0) target.delete(h + 1, nextHave - h - 1);
    const missing = want.slice(w + 1, nextWant).flatMap(copy);
    if (missing.length) target.insert(h + 1, missing as never[]);
    nextHave = h;
    nextWant = w;
  }
}

/**
 * Index pairs of a common subsequence of `a` and `b`, in order: the longest one when the part
 * between their common ends is small enough to align exactly (at most MAX_ALIGNMENT_CELLS cells);
 * otherwise one built around the items that occur once in each (as patience diff does), aligning
 * the gaps between those the same way. Any common subsequence makes a correct restore; a longer
 * one keeps more of the document as it is.
 */
export function alignment(a: readonly string[], b: readonly string[]): [number, number][] {
  const pairs: [number, number][] = [];
  align(a, 0, a.length, b, 0, b.length, pairs);
  return pairs;
}

function align(a: readonly string[], aFrom: number, aTo: number, b: readonly string[], bFrom: number, bTo: number, out: [number, number][]): void {
  let start = 0;
  while (aFrom + start < aTo && bFrom + start < bTo && a[aFrom + start] === b[bFrom + start]) start++;
  let end = 0;
  while (aTo - end > aFrom + start && bTo - end > bFrom + start && a[aTo - 1 - end] === b[bTo - 1 - end]) end++;
  for (let i = 0; i < start; i++) out.push([aFrom + i, bFrom + i]);
  const [a0, a1, b0, b1] = [aFrom + start, aTo - end, bFrom + start, bTo - end];
  const n = a1 - a0;
  const m = b1 - b0;
  const inB = n > 0 && m > 0 ? new Set(b.slice(b0, b1)) : null;
  // (nothing in common, the usual case when a whole passage was rewritten: nothing to align)
  if (inB && a.slice(a0, a1).some((key) => inB.has(key))) {
    if (n * m <= MAX_ALIGNMENT_CELLS) longestCommon(a, a0, n, b, b0, m, out);
    else {
      // Anchors: items once in each middle, kept where they run in the same order in both.
      const once = (list: readonly string[], from: number, to: number) => {
        const seen = new Map<string, number>();
        for (let i = from; i < to; i++) seen.set(list[i]!, seen.has(list[i]!) ? -1 : i);
        return seen;
      };
      const onceInB = once(b, b0, b1);
      const candidates: [number, number][] = [];
      for (const [key, i] of once(a, a0, a1)) {
        const j = onceInB.get(key);
        if (i >= 0 && j !== undefined && j >= 0) candidates.push([i, j]);
      }
      candidates.sort((x, y) => x[0] - y[0]);
      let [ai, bi] = [a0, b0];
      for (const [i, j] of increasingRun(candidates)) {
        align(a, ai, i, b, bi, j, out);
        out.push([i, j]);
        [ai, bi] = [i + 1, j + 1];
      }
      if (ai > a0) align(a, ai, a1, b, bi, b1, out);
      // no anchor at all: nothing in the middle is kept
    }
  }
  for (let k = end; k > 0; k--) out.push([aTo - k, bTo - k]);
}

/** The longest common subsequence of a[a0, a0+n) and b[b0, b0+m), by dynamic programming. */
function longestCommon(a: readonly string[], a0: number, n: number, b: readonly string[], b0: number, m: number, out: [number, number][]): void {
  // lengths[i * (m + 1) + j]: the longest common subsequence of a's part from i and b's from j
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] = a[a0 + i] === b[b0 + j] ? lengths[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lengths[(i + 1) * (m + 1) + j]!, lengths[i * (m + 1) + j + 1]!);
    }
  }
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[a0 + i] === b[b0 + j]) {
      out.push([a0 + i, b0 + j]);
      i++;
      j++;
    } else if (lengths[(i + 1) * (m + 1) + j]! >= lengths[i * (m + 1) + j + 1]!) i++;
    else j++;
  }
}

/** The longest run of `pairs` (sorted by their first index) whose second index increases too (patience sorting). */
function increasingRun(pairs: readonly [number, number][]): [number, number][] {
  const tails: number[] = []; // tails[k]: index in pairs of the smallest end of a run of length k + 1
  const previous = new Int32Array(pairs.length).fill(-1);
  for (let p = 0; p < pairs.length; p++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![1] < pairs[p]![1]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[p] = tails[lo - 1]!;
    tails[lo] = p;
  }
  const run: [number, number][] = [];
  for (let p = tails.length ? tails[tails.length - 1]! : -1; p >= 0; p = previous[p]!) run.push(pairs[p]!);
  return run.reverse();
}
