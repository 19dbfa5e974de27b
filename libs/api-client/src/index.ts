import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

/**
 * The typed client for the Tandem REST api, generated from `api/openapi.json` (see
 * `npm run api-client:generate`). Paths, parameters, bodies and answers are checked at compile
 * time: `client.GET('/api/v1/programs/{program}', { params: { path: { program: 'QA' } } })`.
 */
export type { components, operations, paths };

export type TandemClient = Client<paths>;

export interface TandemClientOptions {
  /** where the api is served, e.g. `https://tandem.example` (paths start with `/api/v1`) */
  baseUrl: string;
  /** the fetch to use, e.g. SvelteKit's in a load function; the global one by default */
  fetch?: typeof globalThis.fetch;
}

/** A client that sends the session cookie with every call. */
export function createTandemClient({ baseUrl, fetch }: TandemClientOptions): TandemClient {
  return createClient<paths>({ baseUrl, fetch, credentials: 'include' });
}

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** The JSON a route answers on success, e.g. `ResponseOf<'/api/v1/portfolio', 'get'>`. */
export type ResponseOf<P extends keyof paths, M extends HttpMethod> = paths[P][M] extends { responses: infer R }
  ? R[Extract<keyof R, 200 | 201>] extends { content: { 'application/json': infer Body } }
    ? Body
    : never
  : never;

/** The JSON body a route accepts, e.g. `RequestBodyOf<'/api/v1/programs', 'post'>`. */
export type RequestBodyOf<P extends keyof paths, M extends HttpMethod> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** One page of a cursor-paginated list. */
export interface Page<T> {
  items: T[];
  /** pass as `cursor` to get the next page; null on the last page */
  nextCursor: string | null;
}

// Friendly names for the views the api answers with (`components.schemas` of the document).
type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type AuthProviders = Schemas['AuthProviders'];
export type PersonRef = Schemas['PersonRef'];
export type NamedRef = Schemas['NamedRef'];
export type User = Schemas['User'];
export type Team = Schemas['Team'];
export type Program = Schemas['Program'];
export type ProgramAbility = Schemas['ProgramAbility'];
export type Member = Schemas['Member'];
export type ActivityEntry = Schemas['ActivityEntry'];
export type ProgramTemplate = Schemas['ProgramTemplate'];
export type Milestone = Schemas['Milestone'];
export type DeletedMilestone = Schemas['DeletedMilestone'];
export type RestoredMilestone = Schemas['RestoredMilestone'];
export type Baseline = Schemas['Baseline'];
export type Dependency = Schemas['Dependency'];
export type DependencyViolation = Schemas['DependencyViolation'];
export type ImportResult = Schemas['ImportResult'];
export type FieldError = Schemas['FieldError'];
export type RaciSubject = Schemas['RaciSubject'];
export type RaciRow = Schemas['RaciRow'];
export type RaciRowChange = Schemas['RaciRowChange'];
export type RaciViolation = Schemas['RaciViolation'];
export type RaciMatrix = Schemas['RaciMatrix'];
export type PersonRaci = Schemas['PersonRaci'];
export type Completion = Schemas['Completion'];
export type ChecklistOwner = Schemas['ChecklistOwner'];
export type ChecklistTemplateItem = Schemas['ChecklistTemplateItem'];
export type Wave = Schemas['Wave'];
export type ChecklistItem = Schemas['ChecklistItem'];
export type RolloutGrid = Schemas['RolloutGrid'];
export type StatusUpdate = Schemas['StatusUpdate'];
export type ProgramSignals = Schemas['ProgramSignals'];
export type ComputedHealth = Schemas['ComputedHealth'];
export type HealthSignals = Schemas['HealthSignals'];
export type PortfolioRow = Schemas['PortfolioRow'];
export type StatusReport = Schemas['StatusReport'];
export type ShareLink = Schemas['ShareLink'];
export type CreatedShareLink = Schemas['CreatedShareLink'];
export type Doc = Schemas['Doc'];
/** The same as `Doc`, under the api's name for it. */
export type DocView = Doc;
export type DocVersion = Schemas['DocVersion'];
export type DocVersionPreview = Schemas['DocVersionPreview'];
export type DocVersionRestore = Schemas['DocVersionRestore'];
export type RetroCard = Schemas['RetroCard'];
export type CardConversion = Schemas['CardConversion'];
export type CalendarFeed = Schemas['CalendarFeed'];
