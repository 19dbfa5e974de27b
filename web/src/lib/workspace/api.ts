/**
 * Api helpers for the program workspace (overview, milestones, activity, members, import, report,
 * share links). Same conventions as `$lib/api`: every helper takes the `fetch` to use. Failures are
 * a `WorkspaceError` — an `ApiError` that also keeps what a 409 names (`blockers`, `cycle`) and the
 * rows of a refused import, so pages can show what blocks instead of a bare message.
 */
import type {
  ActivityEntry,
  Baseline,
  CalendarFeed,
  CreatedShareLink,
  DeletedMilestone,
  Dependency,
  DependencyViolation,
  HealthSignals,
  ImportResult,
  Member,
  Milestone,
  Page,
  RestoredMilestone,
  RequestBodyOf,
  ShareLink,
  StatusReport,
  StatusUpdate,
  User,
} from '@tandem/api-client';
import { ApiError, send, toApiError, type ApiInit, type Fetch } from '$lib/api';

export type {
  ActivityEntry,
  Baseline,
  CalendarFeed,
  CreatedShareLink,
  DeletedMilestone,
  Dependency,
  DependencyViolation,
  HealthSignals,
  ImportResult,
  Member,
  Milestone,
  RestoredMilestone,
  ShareLink,
  StatusReport,
  StatusUpdate,
  User,
};

export type NewMilestone = RequestBodyOf<'/api/v1/programs/{program}/milestones', 'post'>;
export type MilestoneChange = RequestBodyOf<'/api/v1/milestones/{id}', 'patch'>;
export type NewStatusUpdate = RequestBodyOf<'/api/v1/programs/{program}/updates', 'post'>;
export type ImportRow = ImportResult['rows'][number];

/** A milestone's editable fields as the api takes them (what an edit compares with, what an undone delete sends again). */
export function milestoneFields(m: Milestone) {
  return {
    title: m.title,
    description: m.description,
    ownerId: m.owner?.id ?? null,
    startDate: m.startDate,
    dueDate: m.dueDate,
    status: m.status,
    workstream: m.workstream,
  };
}

/** An open checklist item that keeps a milestone from being done. */
export interface Blocker {
  id: string;
  title: string;
  state: string;
  waveId?: string;
}

export class WorkspaceError extends ApiError {
  /** 409 on a gated milestone: the open linked checklist items */
  readonly blockers: Blocker[];
  /** 409 on a dependency that closes a loop: the milestones in it, in order */
  readonly cycle: { id: string; title: string }[];
  /** 400 on a real import run: every row with its errors */
  readonly rows: ImportRow[];

  constructor(base: ApiError, body: Record<string, unknown>) {
    super(base.status, base.message, base.fieldErrors, base.retryAfter);
    this.name = 'WorkspaceError';
    this.blockers = Array.isArray(body.blockers) ? (body.blockers as Blocker[]) : [];
    this.cycle = Array.isArray(body.cycle) ? (body.cycle as { id: string; title: string }[]) : [];
    this.rows = Array.isArray(body.rows) ? (body.rows as ImportRow[]) : [];
  }
}

const BASE = '/api/v1';
const enc = encodeURIComponent;

async function call<T>(fetchFn: Fetch, path: string, init: ApiInit = {}): Promise<T> {
  const response = await send(fetchFn, path, init);
  if (!response.ok) {
    let body: Record<string, unknown> = {};
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      body = ((await response
        .clone()
        .json()
        .catch(() => ({}))) ?? {}) as Record<string, unknown>;
    }
    throw new WorkspaceError(await toApiError(response), typeof body === 'object' ? body : {});
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

function query(path: string, params: Record<string, string | number | null | undefined>): string {
  const q = Object.entries(params)
    .filter((e): e is [string, string | number] => e[1] !== null && e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${k}=${enc(String(v))}`)
    .join('&');
  return q ? `${path}?${q}` : path;
}

/** Every page of a cursor-paginated list (lists here are small: milestones, members, people). */
async function all<T>(fetchFn: Fetch, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const page: Page<T> = await call<Page<T>>(fetchFn, query(path, { limit: 200, cursor }));
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

const prog = (p: string) => `/programs/${enc(p)}`;

// ── health and updates ─────────────────────────────────────────────────────────
export const getSignals = (f: Fetch, p: string) => call<HealthSignals>(f, `${prog(p)}/signals`);
export const listUpdates = (f: Fetch, p: string, limit = 5, cursor?: string | null) =>
  call<Page<StatusUpdate>>(f, query(`${prog(p)}/updates`, { limit, cursor }));
export const postUpdate = (f: Fetch, p: string, body: NewStatusUpdate) =>
  call<StatusUpdate>(f, `${prog(p)}/updates`, { method: 'POST', body });

// ── milestones, dependencies, baselines ────────────────────────────────────────
export const listAllMilestones = (f: Fetch, p: string) => all<Milestone>(f, `${prog(p)}/milestones`);
export const createMilestone = (f: Fetch, p: string, body: NewMilestone) =>
  call<Milestone>(f, `${prog(p)}/milestones`, { method: 'POST', body });
export const updateMilestone = (f: Fetch, id: string, body: MilestoneChange) =>
  call<Milestone>(f, `/milestones/${enc(id)}`, { method: 'PATCH', body });
export const deleteMilestone = (f: Fetch, id: string) => call<void>(f, `/milestones/${enc(id)}`, { method: 'DELETE' });
/** Undoes a delete: the milestone with its id, RACI row, baseline dates, links and dependencies; `leftOut` names what could not come back. */
export const restoreMilestone = (f: Fetch, id: string) => call<RestoredMilestone>(f, `/milestones/${enc(id)}/restore`, { method: 'POST' });
/** The program's deleted milestones that can still be restored, the latest first. */
export const listDeletedMilestones = (f: Fetch, p: string) => call<{ items: DeletedMilestone[] }>(f, `${prog(p)}/deleted-milestones`);
/** Replaces the checklist items that must be closed before the milestone can be done. */
export const linkChecklistItems = (f: Fetch, id: string, itemIds: string[]) =>
  call<Milestone>(f, `/milestones/${enc(id)}/checklist-items`, { method: 'PUT', body: { itemIds } });

export const listDependencies = (f: Fetch, p: string) =>
  call<{ items: Dependency[]; violations: DependencyViolation[] }>(f, `${prog(p)}/dependencies`);
export const addDependency = (f: Fetch, p: string, body: Dependency) =>
  call<Dependency>(f, `${prog(p)}/dependencies`, { method: 'POST', body });
export const removeDependency = (f: Fetch, p: string, d: Dependency) =>
  call<void>(f, `${prog(p)}/dependencies/${enc(d.predecessorId)}/${enc(d.successorId)}`, { method: 'DELETE' });

export const latestBaseline = async (f: Fetch, p: string): Promise<Baseline | null> =>
  (await call<Page<Baseline>>(f, query(`${prog(p)}/baselines`, { limit: 1 }))).items[0] ?? null;
export const setBaseline = (f: Fetch, p: string, label?: string) =>
  call<Baseline>(f, `${prog(p)}/baselines`, { method: 'POST', body: label ? { label } : {} });

export const importMilestones = (f: Fetch, p: string, csv: string, dryRun: boolean) =>
  call<ImportResult>(f, query(`${prog(p)}/milestones/import`, { dryRun: String(dryRun) }), { method: 'POST', csv });

/** A wave's checklist from CSV (the columns of its export): rows with an id update that item, the others are added. */
export const importChecklist = (f: Fetch, waveId: string, csv: string, dryRun: boolean) =>
  call<ImportResult>(f, query(`/waves/${enc(waveId)}/checklist/import`, { dryRun: String(dryRun) }), { method: 'POST', csv });

export const milestonesCsvUrl = (p: string) => `${BASE}${prog(p)}/milestones.csv`;

// ── activity ───────────────────────────────────────────────────────────────────
export const listActivity = (f: Fetch, p: string, cursor?: string | null) =>
  call<Page<ActivityEntry>>(f, query(`${prog(p)}/activity`, { limit: 30, cursor }));

// ── members ────────────────────────────────────────────────────────────────────
export const listAllMembers = (f: Fetch, p: string) => all<Member>(f, `${prog(p)}/members`);
export const listAllUsers = (f: Fetch) => all<User>(f, '/users');
export const addMember = (f: Fetch, p: string, userId: string, role: Member['role']) =>
  call<Member>(f, `${prog(p)}/members`, { method: 'POST', body: { userId, role } });
export const changeMemberRole = (f: Fetch, p: string, userId: string, role: Member['role']) =>
  call<Member>(f, `${prog(p)}/members/${enc(userId)}`, { method: 'PATCH', body: { role } });
export const removeMember = (f: Fetch, p: string, userId: string) =>
  call<void>(f, `${prog(p)}/members/${enc(userId)}`, { method: 'DELETE' });

// ── report, share links, calendar ──────────────────────────────────────────────
export const getReport = (f: Fetch, p: string) => call<StatusReport>(f, `${prog(p)}/report`);
export const getSharedReport = (f: Fetch, token: string) => call<StatusReport>(f, `/shared/${enc(token)}/report`);
export const reportMarkdownUrl = (p: string) => `${BASE}${prog(p)}/report.md`;

export const listShareLinks = (f: Fetch, p: string) => call<Page<ShareLink>>(f, query(`${prog(p)}/share-links`, { limit: 20 }));
export const createShareLink = (f: Fetch, p: string, expiresInDays: number) =>
  call<CreatedShareLink>(f, `${prog(p)}/share-links`, { method: 'POST', body: { expiresInDays } });
export const revokeShareLink = (f: Fetch, id: string) => call<void>(f, `/share-links/${enc(id)}`, { method: 'DELETE' });

export const getCalendarFeed = (f: Fetch) => call<CalendarFeed>(f, '/calendar/token');
export const resetCalendarFeed = (f: Fetch) => call<{ url: string }>(f, '/calendar/token', { method: 'POST' });

/** The message to show for a failed call, whatever was thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : 'Something went wrong';
}
