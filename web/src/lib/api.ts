/**
 * Small typed helpers over the Tandem REST api (`/api/v1`). Every helper takes the `fetch` to use:
 * in a load function pass the one SvelteKit gives to load (so it works during SSR and hydration),
 * in a component pass the global `fetch`. The types come from `@tandem/api-client`, generated from
 * the api's OpenAPI document, so a change to what the api answers shows up here as a type error.
 */
import type { AuthProviders, Me, Member, PersonRef, Program, RequestBodyOf, ResponseOf, Team } from '@tandem/api-client';
import type { FieldError, OrgRole, Page, ProgramRole, ProgramStatus } from '@tandem/domain';

export type { AuthProviders, FieldError, Me, Member, OrgRole, Page, Program, ProgramRole, ProgramStatus };

export type Fetch = typeof fetch;

/** A person with their email, as program pages show them. */
export type UserRef = PersonRef;

export type TeamRef = Team;

/** Body of POST /api/v1/programs. */
export type NewProgram = RequestBodyOf<'/api/v1/programs', 'post'>;
export type ProgramChange = RequestBodyOf<'/api/v1/programs/{program}', 'patch'>;
/** Body of POST /api/v1/programs/from-template. */
export type NewProgramFromTemplate = RequestBodyOf<'/api/v1/programs/from-template', 'post'>;

/** A refused or failed api call, with what the api said about it. */
export class ApiError extends Error {
  readonly status: number;
  /** per-field reasons from a 400 response (empty otherwise) */
  readonly fieldErrors: FieldError[];
  /** seconds from a Retry-After header (429), when present */
  readonly retryAfter: number | null;

  constructor(status: number, message: string, fieldErrors: FieldError[] = [], retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.retryAfter = retryAfter;
  }
}

/**
 * A form's errors after a failed request: the reason for each field the api named (a 400), else
 * one for the whole form under `form`, "<failed>: <message>". A field is keyed by its top-level
 * name (`scope.2` → `scope`), as a form has one input for each top-level field of the body.
 */
export function formErrors(e: unknown, failed: string): Record<string, string> {
  if (e instanceof ApiError && e.fieldErrors.length) return Object.fromEntries(e.fieldErrors.map((f) => [f.field.split('.')[0]!, f.reason]));
  return { form: `${failed}: ${e instanceof Error ? e.message : 'unknown error'}` };
}

const BASE = '/api/v1';

/** Seconds to wait from a Retry-After header: either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readFieldErrors(body: unknown): FieldError[] {
  if (!isRecord(body) || !Array.isArray(body.errors)) return [];
  return body.errors.flatMap((e: unknown) =>
    isRecord(e) && typeof e.field === 'string' && typeof e.reason === 'string' ? [{ field: e.field, reason: e.reason }] : [],
  );
}

function readMessage(body: unknown): string | null {
  if (!isRecord(body)) return null;
  const { message } = body;
  if (typeof message === 'string' && message.trim() !== '') return message;
  // Nest's default validation pipe sends an array of messages
  if (Array.isArray(message) && message.every((m) => typeof m === 'string') && message.length > 0) return message.join('; ');
  return null;
}

function fallbackMessage(status: number): string {
  switch (status) {
    case 400:
      return 'The request was not accepted';
    case 401:
      return 'You are not signed in';
    case 403:
      return 'You do not have permission to do that';
    case 404:
      return 'Not found';
    case 409:
      return 'That conflicts with something that already exists';
    case 429:
      return 'Too many attempts, try again later';
    default:
      return status >= 500 ? 'The server had a problem, try again in a moment' : `Request failed (${status})`;
  }
}

/** ' (about 15 minutes)' for long waits, '' for short ones. */
function roughly(seconds: number): string {
  if (seconds < 90) return '';
  const minutes = Math.round(seconds / 60);
  return ` (about ${minutes} minutes)`;
}

/** Turns a non-2xx response into an ApiError, reading the api's JSON body when there is one. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      body = await response.json();
    } catch {
      body = null;
    }
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  let message = readMessage(body) ?? fallbackMessage(response.status);
  if (response.status === 429) {
    message = retryAfter !== null ? `Too many attempts, try again in ${retryAfter} ${retryAfter === 1 ? 'second' : 'seconds'}${roughly(retryAfter)}` : message;
  }
  return new ApiError(response.status, message, readFieldErrors(body), retryAfter);
}

/** What one api call sends: a JSON `body`, or `csv` text instead. */
export interface ApiInit {
  method?: string;
  body?: unknown;
  csv?: string;
}

/**
 * Sends one api call and resolves with its response, whatever the status; rejects with
 * ApiError(0) when the server cannot be reached.
 */
export async function send(fetchFn: Fetch, path: string, init: ApiInit = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const options: RequestInit = { method: init.method ?? 'GET', headers, credentials: 'same-origin' };
  if (init.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    options.body = init.csv;
  } else if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    options.body = JSON.stringify(init.body);
  }
  try {
    return await fetchFn(`${BASE}${path}`, options);
  } catch {
    throw new ApiError(0, 'Could not reach the server, check your connection and try again');
  }
}

/** Performs one api call; resolves with the JSON body (undefined for 204) or rejects with ApiError. */
export async function request<T>(fetchFn: Fetch, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await send(fetchFn, path, init);
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

function withCursor(path: string, cursor?: string | null): string {
  return cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : path;
}

export const login = (f: Fetch, email: string, password: string) =>
  request<ResponseOf<'/api/v1/auth/login', 'post'>>(f, '/auth/login', { method: 'POST', body: { email, password } });

export const logout = (f: Fetch) => request<void>(f, '/auth/logout', { method: 'POST' });

export const getMe = (f: Fetch) => request<Me>(f, '/auth/me');

/** How this server lets people sign in: passwords, and single sign-on when it is configured. */
export const getAuthProviders = (f: Fetch) => request<AuthProviders>(f, '/auth/providers');

/** Where the single sign-on button goes: a full navigation to the provider, then back to `next`. */
export const oidcStartUrl = (next: string) => `${BASE}/auth/oidc/start?${new URLSearchParams({ returnTo: next })}`;

/** `includeArchived`: archived programs too (they are left out by default). */
export const listPrograms = (f: Fetch, cursor?: string | null, includeArchived = false) =>
  request<ResponseOf<'/api/v1/programs', 'get'>>(f, withCursor(includeArchived ? '/programs?includeArchived=true' : '/programs', cursor));

/** `keyOrId` is a program key (e.g. QA) or its id: the api accepts both. */
export const getProgram = (f: Fetch, keyOrId: string) => request<Program>(f, `/programs/${encodeURIComponent(keyOrId)}`);

export const listMembers = (f: Fetch, keyOrId: string, cursor?: string | null) =>
  request<ResponseOf<'/api/v1/programs/{program}/members', 'get'>>(f, withCursor(`/programs/${encodeURIComponent(keyOrId)}/members`, cursor));

export const createProgram = (f: Fetch, body: NewProgram) => request<Program>(f, '/programs', { method: 'POST', body });
/** A program with the template's milestones (dated from `startDate`) and go-live checklist; the caller owns it. */
export const createProgramFromTemplate = (f: Fetch, body: NewProgramFromTemplate) =>
  request<Program>(f, '/programs/from-template', { method: 'POST', body });
export const updateProgram = (f: Fetch, keyOrId: string, body: ProgramChange) => request<Program>(f, `/programs/${encodeURIComponent(keyOrId)}`, { method: 'PATCH', body });
/** Archiving makes the program read-only (and takes it off the default lists); restoring undoes it. */
export const setProgramArchived = (f: Fetch, keyOrId: string, archived: boolean) =>
  request<Program>(f, `/programs/${encodeURIComponent(keyOrId)}/${archived ? 'archive' : 'restore'}`, { method: 'POST' });

/** Program templates: standard milestones and a go-live checklist (one page: the list is short). */
export const listTemplates = (f: Fetch) => request<ResponseOf<'/api/v1/templates', 'get'>>(f, '/templates');

export const listTeams = (f: Fetch) => request<ResponseOf<'/api/v1/teams', 'get'>>(f, '/teams');
