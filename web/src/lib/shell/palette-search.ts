/**
 * What the command palette finds: pure functions over programs and the milestones and docs loaded
 * so far, so the rules can be tested without a browser.
 */
import { formatDate } from '$lib/format';
import { docHref, milestoneHref, programHref } from './links';

export interface PaletteProgram {
  id: string;
  key: string;
  name: string;
}

export interface ProgramChildren {
  milestones: { id: string; title: string; dueDate: string | null }[];
  docs: { id: string; kind: 'plan' | 'retro'; title: string }[];
}

export type PaletteGroup = 'Pages' | 'Programs' | 'Milestones' | 'Plans and retros';

export interface PaletteItem {
  id: string;
  group: PaletteGroup;
  label: string;
  detail: string;
  href: string;
}

/** Milestones and docs are fetched for at most this many programs per search. */
export const CHILD_SEARCH_CAP = 10;
const PER_GROUP = 8;

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** Every word of the query appears somewhere in the text (any order, accents ignored). */
export function matches(text: string, query: string): boolean {
  const hay = fold(text);
  return fold(query)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => hay.includes(word));
}

/**
 * Which programs' milestones and docs to search: the program on screen first, then programs
 * whose name or key matches, then the rest in list order — never more than `cap`.
 */
export function programsToSearch(programs: readonly PaletteProgram[], query: string, currentKey: string | null, cap = CHILD_SEARCH_CAP): PaletteProgram[] {
  const current = programs.filter((p) => p.key === currentKey);
  const named = programs.filter((p) => p.key !== currentKey && matches(`${p.key} ${p.name}`, query));
  const rest = programs.filter((p) => p.key !== currentKey && !named.includes(p));
  return [...current, ...named, ...rest].slice(0, cap);
}

const PAGES: PaletteItem[] = [
  { id: 'page-portfolio', group: 'Pages', label: 'Portfolio', detail: 'Every program’s health at a glance', href: '/portfolio' },
  { id: 'page-programs', group: 'Pages', label: 'Programs', detail: 'The program list', href: '/' },
  { id: 'page-tokens', group: 'Pages', label: 'API tokens', detail: 'Your personal tokens for scripts', href: '/me/tokens' },
];

export function search(query: string, programs: readonly PaletteProgram[], children: ReadonlyMap<string, ProgramChildren>): PaletteItem[] {
  const q = query.trim();
  const pages = PAGES.filter((p) => !q || matches(p.label, q));
  const progs = programs
    .filter((p) => !q || matches(`${p.key} ${p.name}`, q))
    .slice(0, PER_GROUP)
    .map<PaletteItem>((p) => ({ id: `program-${p.id}`, group: 'Programs', label: p.name, detail: p.key, href: programHref(p.key) }));
  if (!q) return [...pages, ...progs];

  const milestones: PaletteItem[] = [];
  const docs: PaletteItem[] = [];
  for (const p of programs) {
    const c = children.get(p.id);
    if (!c) continue;
    for (const m of c.milestones) {
      if (milestones.length < PER_GROUP && matches(m.title, q))
        milestones.push({ id: `milestone-${m.id}`, group: 'Milestones', label: m.title, detail: `${p.key}${m.dueDate ? ` · due ${formatDate(m.dueDate)}` : ''}`, href: milestoneHref(p.key, m.id) });
    }
    for (const d of c.docs) {
      if (docs.length < PER_GROUP && matches(d.title, q))
        docs.push({ id: `doc-${d.id}`, group: 'Plans and retros', label: d.title, detail: `${p.key} · ${d.kind === 'retro' ? 'Retro' : 'Plan'}`, href: docHref(p.key, d) });
    }
  }
  return [...pages, ...progs, ...milestones, ...docs];
}

/** Items grouped in display order, each with its index in the flat list (for arrow keys). */
export function grouped(items: readonly PaletteItem[]): { group: PaletteGroup; items: { item: PaletteItem; index: number }[] }[] {
  const out: { group: PaletteGroup; items: { item: PaletteItem; index: number }[] }[] = [];
  items.forEach((item, index) => {
    const last = out[out.length - 1];
    if (last?.group === item.group) last.items.push({ item, index });
    else out.push({ group: item.group, items: [{ item, index }] });
  });
  return out;
}
