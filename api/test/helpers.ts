import { randomBytes } from 'node:crypto';
import type request from 'supertest';
import type { Response } from 'supertest';
import type { TestApp } from './harness';

/**
 * Small helpers shared by the integration files: factories that create data through the public
 * api (never behind its back), and a parser for the session cookie. Nothing here is mocked.
 */

export const DEMO_PASSWORD = 'demo-password';
export const SESSION_COOKIE = 'tandem_session';

export type Agent = ReturnType<typeof request.agent>;

/** A short unique suffix for emails and names. */
export const unique = (): string => randomBytes(4).toString('hex');

/** A program key that fits ^[A-Z][A-Z0-9]{1,9}$ and is unique enough for one test database. */
export const uniqueKey = (prefix = 'T'): string => `${prefix}${randomBytes(4).toString('hex').toUpperCase()}`.slice(0, 10);

export interface PersonInput {
  email: string;
  name: string;
  password: string;
  orgRole: 'admin' | 'member' | 'viewer';
}

export interface Person {
  id: string;
  email: string;
  name: string;
  orgRole: 'admin' | 'member' | 'viewer';
  active: boolean;
  password: string;
}

/** The body for POST /api/v1/users, with sensible defaults. */
export function personInput(overrides: Partial<PersonInput> = {}): PersonInput {
  const id = unique();
  return { email: `person.${id}@example.test`, name: `Person ${id}`, password: 'a-long-enough-password', orgRole: 'member', ...overrides };
}

/** Creates a person through POST /api/v1/users as the given admin agent. */
export async function buildPerson(admin: Agent, overrides: Partial<PersonInput> = {}): Promise<Person> {
  const input = personInput(overrides);
  const res = await admin.post('/api/v1/users').send(input);
  if (res.status !== 201 && res.status !== 200) throw new Error(`creating ${input.email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...(res.body as Omit<Person, 'password'>), password: input.password };
}

export interface ProgramInput {
  key: string;
  name: string;
  description?: string;
  status?: 'planning' | 'active' | 'on_hold' | 'completed';
  teamId?: string | null;
  startDate?: string | null;
  targetDate?: string | null;
}

export interface ProgramBody {
  id: string;
  key: string;
  name: string;
  status: string;
  owner: { id: string; name: string; email: string };
  myRole: string | null;
  ability: { read: boolean; write: boolean; manage: boolean };
  archivedAt: string | null;
  startDate: string | null;
  targetDate: string | null;
}

export function programInput(overrides: Partial<ProgramInput> = {}): ProgramInput {
  const key = overrides.key ?? uniqueKey();
  return { key, name: `Program ${key}`, ...overrides };
}

/** Creates a program through POST /api/v1/programs as the given agent (who becomes its owner). */
export async function buildProgram(agent: Agent, overrides: Partial<ProgramInput> = {}): Promise<ProgramBody> {
  const input = programInput(overrides);
  const res = await agent.post('/api/v1/programs').send(input);
  if (res.status !== 201 && res.status !== 200) throw new Error(`creating program ${input.key} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ProgramBody;
}

/** Signs in as a person created by `buildPerson`. */
export function signInAs(t: TestApp, person: Person): Promise<Agent> {
  return t.signIn(person.email, person.password);
}

export interface ParsedCookie {
  name: string;
  value: string;
  /** attribute names lower-cased; values as sent ('' for flags) */
  attributes: Record<string, string>;
}

/** Every Set-Cookie header of a response, parsed. */
export function setCookies(res: Response): ParsedCookie[] {
  const raw = res.headers['set-cookie'] as unknown;
  const headers = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return headers.map((header) => {
    const [pair = '', ...attrs] = header.split(';').map((p) => p.trim());
    const eq = pair.indexOf('=');
    const attributes: Record<string, string> = {};
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      if (i === -1) attributes[attr.toLowerCase()] = '';
      else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
    }
    return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
  });
}

/** The session cookie a response set, or undefined. */
export function sessionCookie(res: Response): ParsedCookie | undefined {
  return setCookies(res).find((c) => c.name === SESSION_COOKIE);
}

/** A Cookie header that replays a session token by hand. */
export const cookieHeader = (token: string): string => `${SESSION_COOKIE}=${token}`;
