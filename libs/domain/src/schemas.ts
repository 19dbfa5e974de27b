import { z } from 'zod';
import { ORG_ROLES, PROGRAM_ROLES, type OrgRole } from './roles.js';

/**
 * Request schemas shared by the api (validation, OpenAPI) and the web (instant form feedback).
 * Every object is strict: an unknown field is an error, never silently dropped.
 */

/** NUL and lone UTF-16 surrogates cannot be stored as text or JSON in PostgreSQL; refuse them up front. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const storable = (value: string): boolean => !UNSTORABLE.test(value);
const STORABLE_REASON = 'must not contain NUL or malformed characters';

/** Any string a person may type: bounded and storable. */
export const plainString = (max: number) =>
  z.string().max(max, `must be at most ${max} characters`).refine(storable, STORABLE_REASON);
/** A required single-line-or-more text: trimmed, not empty, bounded, storable. */
export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`).refine(storable, STORABLE_REASON);

/** C0 and C1 control characters, tab and line breaks included: invisible in a name, and never typed into a field of one line. */
const CONTROL = /[\u0001-\u001F\u007F-\u009F]/; // NUL: refused by storable, with its own reason
/** A required one-line text (a title, a name): `text` without line breaks, tabs or other control characters. */
export const oneLine = (max: number) => text(max).refine((v) => !CONTROL.test(v), 'must be one line, without control characters');

/** Calendar dates PostgreSQL and people both accept: years 1900–2999. */
export const isoDate = z.iso
  .date('must be a date as YYYY-MM-DD')
  // Only range-check what is a date at all, so a bad date gets one reason, not two.
  .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || (d >= '1900-01-01' && d <= '2999-12-31'), 'must be between 1900-01-01 and 2999-12-31');
export const uuid = z.uuid('must be a UUID');
export const email = z
  .email('must be an email address')
  .max(254, 'must be at most 254 characters')
  .transform((value) => value.toLowerCase());

export const PASSWORD_MIN = 10;
export const password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(256, 'must be at most 256 characters');

export const loginSchema = z.strictObject({
  email: plainString(254).transform((v) => v.trim().toLowerCase()),
  password: z.string().min(1, 'is required').max(256, 'must be at most 256 characters'),
});
export type LoginInput = z.output<typeof loginSchema>;

export const createUserSchema = z.strictObject({
  email,
  name: oneLine(120),
  password,
  orgRole: z.enum(ORG_ROLES).default('member'),
});
export type CreateUserInput = z.output<typeof createUserSchema>;

export const updateUserSchema = z.strictObject({
  name: oneLine(120).optional(),
  orgRole: z.enum(ORG_ROLES).optional(),
  active: z.boolean().optional(),
});
export type UpdateUserInput = z.output<typeof updateUserSchema>;

export const PROGRAM_STATUSES = ['planning', 'active', 'on_hold', 'completed', 'archived'] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];

export const programKey = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9]{1,9}$/, 'must be 2–10 capital letters or digits, starting with a letter');

const programFields = {
  name: oneLine(160),
  description: plainString(10_000),
  teamId: uuid.nullable(),
  startDate: isoDate.nullable(),
  targetDate: isoDate.nullable(),
};

function datesInOrder(value: { startDate?: string | null; targetDate?: string | null }, ctx: z.RefinementCtx) {
  if (value.startDate && value.targetDate && value.targetDate < value.startDate) {
    ctx.addIssue({ code: 'custom', path: ['targetDate'], message: 'must not be before startDate' });
  }
}

export const createProgramSchema = z
  .strictObject({
    key: programKey,
    name: programFields.name,
    description: programFields.description.default(''),
    teamId: programFields.teamId.optional(),
    startDate: programFields.startDate.optional(),
    targetDate: programFields.targetDate.optional(),
    status: z.enum(PROGRAM_STATUSES).exclude(['archived']).default('planning'),
  })
  .superRefine(datesInOrder);
export type CreateProgramInput = z.output<typeof createProgramSchema>;

export const updateProgramSchema = z
  .strictObject({
    name: programFields.name.optional(),
    description: programFields.description.optional(),
    teamId: programFields.teamId.optional(),
    startDate: programFields.startDate.optional(),
    targetDate: programFields.targetDate.optional(),
    status: z.enum(PROGRAM_STATUSES).exclude(['archived']).optional(),
    ownerId: uuid.optional(),
  })
  .superRefine(datesInOrder);
export type UpdateProgramInput = z.output<typeof updateProgramSchema>;

export const addMemberSchema = z.strictObject({
  userId: uuid,
  role: z.enum(PROGRAM_ROLES),
});
export type AddMemberInput = z.output<typeof addMemberSchema>;

export const changeMemberSchema = z.strictObject({ role: z.enum(PROGRAM_ROLES) });
export type ChangeMemberInput = z.output<typeof changeMemberSchema>;

/** Personal API tokens: what a script may do with one. */
export const API_TOKEN_SCOPES = ['read', 'write'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** The scopes a person's tokens may have: leadership (org viewer) writes nowhere, so its tokens only read. */
export function tokenScopesFor(orgRole: OrgRole): readonly ApiTokenScope[] {
  return orgRole === 'viewer' ? ['read'] : API_TOKEN_SCOPES;
}
export const READ_ONLY_TOKENS_REASON = 'can only be read: a leadership account reads everything and changes nothing';

export const createApiTokenSchema = z.strictObject({
  name: oneLine(100),
  scope: z.enum(API_TOKEN_SCOPES),
  /** leave out for a token that lasts until revoked */
  expiresInDays: z.number().int('must be a whole number').min(1, 'must be at least 1').max(3650, 'must be at most 3650').optional(),
});
export type CreateApiTokenInput = z.output<typeof createApiTokenSchema>;

/** A list that takes no parameters (one short page): anything in its query string is refused, as on every other list. */
export const noQuerySchema = z.strictObject({});
export type NoQuery = z.output<typeof noQuerySchema>;

/** `?limit=&cursor=` on every list endpoint. */
export const pageQuerySchema = z.strictObject({
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(200, 'must be at most 200').default(50),
  cursor: plainString(200).optional(),
});
export type PageQuery = z.output<typeof pageQuerySchema>;

export const listProgramsQuerySchema = pageQuerySchema.extend({
  includeArchived: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});
export type ListProgramsQuery = z.output<typeof listProgramsQuerySchema>;

export interface Page<T> {
  items: T[];
  /** pass as `cursor` to get the next page; null on the last page */
  nextCursor: string | null;
}
