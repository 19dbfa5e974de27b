/** Api calls the app shell makes (the command palette), over `$lib/api`'s typed `request`. */
import type { Doc, Milestone, Program, ResponseOf } from '@tandem/api-client';
import { request, type Fetch } from '$lib/api';

type ProgramPage = ResponseOf<'/api/v1/programs', 'get'>;

/** Programs the person may read, up to `max` (pages of 200). */
export async function listReadablePrograms(f: Fetch, max = 600): Promise<Program[]> {
  const out: Program[] = [];
  let cursor: string | null = null;
  do {
    const page: ProgramPage = await request<ProgramPage>(f, `/programs?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

/** The first 200 milestones of a program (what a palette search or a timeline needs). */
export const listProgramMilestones = (f: Fetch, key: string): Promise<Milestone[]> =>
  request<ResponseOf<'/api/v1/programs/{program}/milestones', 'get'>>(f, `/programs/${encodeURIComponent(key)}/milestones?limit=200`).then((p) => p.items);

/** The newest 50 plans and retros of a program. */
export const listProgramDocs = (f: Fetch, key: string): Promise<Doc[]> =>
  request<ResponseOf<'/api/v1/programs/{program}/docs', 'get'>>(f, `/programs/${encodeURIComponent(key)}/docs?limit=50`).then((p) => p.items);
