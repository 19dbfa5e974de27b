/**
 * What the palette has loaded, kept for the tab so reopening it is instant: the readable programs
 * (refreshed when older than PROGRAMS_TTL) and, per program, milestones and docs fetched only
 * when a search needs them (see `programsToSearch`).
 */
import { SvelteMap } from 'svelte/reactivity';
import { listProgramDocs, listProgramMilestones, listReadablePrograms } from './api';
import type { PaletteProgram, ProgramChildren } from './palette-search';

const PROGRAMS_TTL = 30_000;
const CHILDREN_TTL = 60_000;
const CONCURRENCY = 4;

export const paletteData = $state({
  programs: null as PaletteProgram[] | null,
  loadingPrograms: false,
  loadingChildren: 0,
  error: '',
});

export const children = new SvelteMap<string, ProgramChildren>();
const childrenAt = new Map<string, number>();
const inFlight = new Set<string>();
let programsAt = 0;

export async function loadPrograms(): Promise<void> {
  if (paletteData.loadingPrograms || (paletteData.programs && Date.now() - programsAt < PROGRAMS_TTL)) return;
  paletteData.loadingPrograms = true;
  paletteData.error = '';
  try {
    const programs = await listReadablePrograms(fetch);
    paletteData.programs = programs.map((p) => ({ id: p.id, key: p.key, name: p.name }));
    programsAt = Date.now();
  } catch (e) {
    paletteData.error = `Could not load programs: ${e instanceof Error ? e.message : 'unknown error'}`;
  } finally {
    paletteData.loadingPrograms = false;
  }
}

async function loadOne(p: PaletteProgram): Promise<void> {
  inFlight.add(p.id);
  paletteData.loadingChildren++;
  try {
    const [milestones, docs] = await Promise.all([listProgramMilestones(fetch, p.key), listProgramDocs(fetch, p.key)]);
    children.set(p.id, {
      milestones: milestones.map((m) => ({ id: m.id, title: m.title, dueDate: m.dueDate })),
      docs: docs.map((d) => ({ id: d.id, kind: d.kind, title: d.title })),
    });
    childrenAt.set(p.id, Date.now());
  } catch {
    // a program that cannot be read any more simply has nothing to find
  } finally {
    inFlight.delete(p.id);
    paletteData.loadingChildren--;
  }
}

/** Fetches milestones and docs for these programs, a few at a time, skipping fresh ones. */
export async function loadChildren(programs: readonly PaletteProgram[]): Promise<void> {
  const todo = programs.filter((p) => !inFlight.has(p.id) && Date.now() - (childrenAt.get(p.id) ?? 0) > CHILDREN_TTL);
  const queue = [...todo];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) await loadOne(p);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
}
