/**
 * REST helpers for rollout waves, their checklists and the program's checklist template. Same
 * shape as `$lib/api`. Going live is the one call whose refusal carries data (the open items), so
 * it reads the 409 body itself and rejects with a `GoLiveRefused`.
 */
import type { ChecklistItem, ChecklistTemplateItem, RequestBodyOf, ResponseOf, RolloutGrid, Wave } from '@tandem/api-client';
import { ApiError, request, send, toApiError, type Fetch } from '$lib/api';

export type { ChecklistItem, ChecklistTemplateItem, RolloutGrid, Wave };
export type GridWave = RolloutGrid['waves'][number];
export type GridRow = RolloutGrid['rows'][number];
export type GridCell = NonNullable<GridRow['cells'][string]>;
export type ChecklistState = GridCell['state'];
export type WaveStatus = Wave['status'];
export type NewWave = RequestBodyOf<'/api/v1/programs/{program}/waves', 'post'>;
export type WaveChange = RequestBodyOf<'/api/v1/waves/{id}', 'patch'>;
export type NewChecklistItem = RequestBodyOf<'/api/v1/waves/{id}/checklist', 'post'>;
export type ChecklistItemChange = RequestBodyOf<'/api/v1/checklist-items/{id}', 'patch'>;
export type NewTemplateItem = RequestBodyOf<'/api/v1/programs/{program}/checklist-template', 'post'>;
export type TemplateItemChange = RequestBodyOf<'/api/v1/checklist-template/{itemId}', 'patch'>;

/** An open required item named in a refused go-live. */
export interface Blocker {
  id: string;
  title: string;
  state: ChecklistState;
  owner: { type: 'team' | 'user'; id: string; name: string } | null;
}

/** 409 from a go-live: what is still open. */
export class GoLiveRefused extends ApiError {
  readonly blockers: Blocker[];
  constructor(base: ApiError, blockers: Blocker[]) {
    super(base.status, base.message, base.fieldErrors, base.retryAfter);
    this.name = 'GoLiveRefused';
    this.blockers = blockers;
  }
}

/** A wave's sites or teams from what was typed: comma-separated, trimmed, blanks dropped. */
export function splitSites(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

const programPath = (keyOrId: string) => `/programs/${encodeURIComponent(keyOrId)}`;

export const getRolloutGrid = (f: Fetch, keyOrId: string) => request<RolloutGrid>(f, `${programPath(keyOrId)}/rollout-grid`);

export const createWave = (f: Fetch, keyOrId: string, body: NewWave) => request<Wave>(f, `${programPath(keyOrId)}/waves`, { method: 'POST', body });

export const getWave = (f: Fetch, id: string) => request<Wave>(f, `/waves/${encodeURIComponent(id)}`);

function readBlockers(body: unknown): Blocker[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { blockers?: unknown }).blockers)) return [];
  return ((body as { blockers: unknown[] }).blockers).filter(
    (b): b is Blocker => typeof b === 'object' && b !== null && typeof (b as Blocker).id === 'string' && typeof (b as Blocker).title === 'string',
  );
}

/** PATCH a wave; a refused go-live rejects with GoLiveRefused listing the open items. */
export async function updateWave(f: Fetch, id: string, body: WaveChange): Promise<Wave> {
  const response = await send(f, `/waves/${encodeURIComponent(id)}`, { method: 'PATCH', body });
  if (response.ok) return (await response.json()) as Wave;
  const error = await toApiError(response.clone());
  if (response.status !== 409) throw error;
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    parsed = null;
  }
  throw new GoLiveRefused(error, readBlockers(parsed));
}

export const addChecklistItem = (f: Fetch, waveId: string, body: NewChecklistItem) =>
  request<ChecklistItem>(f, `/waves/${encodeURIComponent(waveId)}/checklist`, { method: 'POST', body });

export const updateChecklistItem = (f: Fetch, itemId: string, body: ChecklistItemChange) =>
  request<ChecklistItem>(f, `/checklist-items/${encodeURIComponent(itemId)}`, { method: 'PATCH', body });

export const checklistCsvUrl = (waveId: string) => `/api/v1/waves/${encodeURIComponent(waveId)}/checklist.csv`;

export async function listTemplate(f: Fetch, keyOrId: string): Promise<ChecklistTemplateItem[]> {
  const items: ChecklistTemplateItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const path: string = `${programPath(keyOrId)}/checklist-template?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer: ResponseOf<'/api/v1/programs/{program}/checklist-template', 'get'> = await request(f, path);
    items.push(...answer.items);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export const addTemplateItem = (f: Fetch, keyOrId: string, body: NewTemplateItem) =>
  request<ChecklistTemplateItem>(f, `${programPath(keyOrId)}/checklist-template`, { method: 'POST', body });

export const updateTemplateItem = (f: Fetch, itemId: string, body: TemplateItemChange) =>
  request<ChecklistTemplateItem>(f, `/checklist-template/${encodeURIComponent(itemId)}`, { method: 'PATCH', body });

export const removeTemplateItem = (f: Fetch, itemId: string) =>
  request<void>(f, `/checklist-template/${encodeURIComponent(itemId)}`, { method: 'DELETE' });

/** The Undo of removing: the same item back, its copies in the waves its grid row again. */
export const restoreTemplateItem = (f: Fetch, itemId: string) =>
  request<ChecklistTemplateItem>(f, `/checklist-template/${encodeURIComponent(itemId)}/restore`, { method: 'POST' });
