import { z } from 'zod';
import { isoDate, oneLine, pageQuerySchema, plainString, text, uuid } from '../schemas.js';
import { CHECKLIST_STATES, WAVE_STATUSES } from './checklist.js';
import { HEALTHS, MILESTONE_STATUSES } from './health.js';
import { RACI_LETTERS } from './raci.js';

/** Request schemas of the planning resources. Strict objects: unknown fields are refused by name. */

const longText = plainString;
const position = z.number().int('must be a whole number').min(0, 'must be 0 or more').max(100_000, 'must be at most 100000');
const reason = text(2000);

function datesInOrder(startField: string, endField: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const start = value[startField];
    const end = value[endField];
    if (typeof start === 'string' && typeof end === 'string' && end < start) {
      ctx.addIssue({ code: 'custom', path: [endField], message: `must not be before ${startField}` });
    }
  };
}

// ── Milestones ────────────────────────────────────────────────────────────────
const milestoneFields = {
  title: oneLine(200),
  description: longText(20_000),
  ownerId: uuid.nullable(),
  startDate: isoDate.nullable(),
  dueDate: isoDate.nullable(),
  status: z.enum(MILESTONE_STATUSES),
  position,
  workstream: oneLine(80).nullable(),
};

export const createMilestoneSchema = z
  .strictObject({
    title: milestoneFields.title,
    description: milestoneFields.description.default(''),
    ownerId: milestoneFields.ownerId.optional(),
    startDate: milestoneFields.startDate.optional(),
    dueDate: milestoneFields.dueDate.optional(),
    status: milestoneFields.status.default('not_started'),
    position: milestoneFields.position.optional(),
    workstream: milestoneFields.workstream.optional(),
  })
  .superRefine(datesInOrder('startDate', 'dueDate'));
export type CreateMilestoneInput = z.output<typeof createMilestoneSchema>;

export const updateMilestoneSchema = z
  .strictObject({
    title: milestoneFields.title.optional(),
    description: milestoneFields.description.optional(),
    ownerId: milestoneFields.ownerId.optional(),
    startDate: milestoneFields.startDate.optional(),
    dueDate: milestoneFields.dueDate.optional(),
    status: milestoneFields.status.optional(),
    position: milestoneFields.position.optional(),
    workstream: milestoneFields.workstream.optional(),
    /** the program owner may mark a milestone done over open linked checklist items, saying why */
    overrideReason: reason.optional(),
  })
  .superRefine(datesInOrder('startDate', 'dueDate'));
export type UpdateMilestoneInput = z.output<typeof updateMilestoneSchema>;

export const addDependencySchema = z.strictObject({ predecessorId: uuid, successorId: uuid });
export type AddDependencyInput = z.output<typeof addDependencySchema>;

export const setBaselineSchema = z.strictObject({ label: oneLine(120).optional() });
export type SetBaselineInput = z.output<typeof setBaselineSchema>;

export const linkChecklistItemsSchema = z.strictObject({
  itemIds: z.array(uuid).max(200, 'must have at most 200 items'),
});
export type LinkChecklistItemsInput = z.output<typeof linkChecklistItemsSchema>;

// ── RACI ──────────────────────────────────────────────────────────────────────
export const RACI_SUBJECTS = ['user', 'team'] as const;
export const raciSubjectSchema = z.strictObject({ type: z.enum(RACI_SUBJECTS), id: uuid });

export const createRaciActivitySchema = z.strictObject({ activity: oneLine(200), position: position.optional() });
export type CreateRaciActivityInput = z.output<typeof createRaciActivitySchema>;

export const setRaciCellSchema = z.strictObject({
  rowId: uuid,
  subject: raciSubjectSchema,
  /** null clears the cell */
  letter: z.enum(RACI_LETTERS).nullable(),
});
export type SetRaciCellInput = z.output<typeof setRaciCellSchema>;

// ── Rollout waves and checklists ──────────────────────────────────────────────
const ownerFields = { ownerTeamId: uuid.nullable().optional(), ownerUserId: uuid.nullable().optional() };

function oneOwner(value: { ownerTeamId?: string | null; ownerUserId?: string | null }, ctx: z.RefinementCtx) {
  if (value.ownerTeamId && value.ownerUserId) {
    ctx.addIssue({ code: 'custom', path: ['ownerUserId'], message: 'give an owning team or an owning person, not both' });
  }
}

export const templateItemSchema = z
  .strictObject({
    title: oneLine(200),
    ...ownerFields,
    required: z.boolean().default(true),
    dueOffsetDays: z.number().int('must be a whole number').min(-365, 'must be at least -365').max(365, 'must be at most 365').default(0),
    position: position.optional(),
  })
  .superRefine(oneOwner);
export type TemplateItemInput = z.output<typeof templateItemSchema>;

export const updateTemplateItemSchema = z
  .strictObject({
    title: oneLine(200).optional(),
    ...ownerFields,
    required: z.boolean().optional(),
    dueOffsetDays: z.number().int('must be a whole number').min(-365).max(365).optional(),
    position: position.optional(),
  })
  .superRefine(oneOwner);
export type UpdateTemplateItemInput = z.output<typeof updateTemplateItemSchema>;

const scope = z.array(oneLine(120)).max(100, 'must have at most 100 sites or teams');

export const createWaveSchema = z.strictObject({
  name: oneLine(120),
  scope: scope.default([]),
  plannedGoLive: isoDate.nullable().optional(),
  position: position.optional(),
});
export type CreateWaveInput = z.output<typeof createWaveSchema>;

export const updateWaveSchema = z.strictObject({
  name: oneLine(120).optional(),
  scope: scope.optional(),
  plannedGoLive: isoDate.nullable().optional(),
  status: z.enum(WAVE_STATUSES).optional(),
  position: position.optional(),
  /** the program owner may take a wave live over open required items, saying why */
  overrideReason: reason.optional(),
});
export type UpdateWaveInput = z.output<typeof updateWaveSchema>;

export const createChecklistItemSchema = z
  .strictObject({
    title: oneLine(200),
    ...ownerFields,
    required: z.boolean().default(true),
    dueDate: isoDate.nullable().optional(),
    position: position.optional(),
  })
  .superRefine(oneOwner);
export type CreateChecklistItemInput = z.output<typeof createChecklistItemSchema>;

export const updateChecklistItemSchema = z
  .strictObject({
    title: oneLine(200).optional(),
    ...ownerFields,
    required: z.boolean().optional(),
    dueDate: isoDate.nullable().optional(),
    position: position.optional(),
    state: z.enum(CHECKLIST_STATES).optional(),
    reason: reason.nullable().optional(),
  })
  .superRefine(oneOwner)
  .superRefine((value, ctx) => {
    if ((value.state === 'not_applicable' || value.state === 'blocked') && !value.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `is required when the state is ${value.state}` });
    }
  });
export type UpdateChecklistItemInput = z.output<typeof updateChecklistItemSchema>;

// ── Status updates ────────────────────────────────────────────────────────────
export const createStatusUpdateSchema = z.strictObject({
  health: z.enum(HEALTHS),
  narrative: text(50_000),
});
export type CreateStatusUpdateInput = z.output<typeof createStatusUpdateSchema>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const isoInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/**
 * A point in time in a query string: a date (its midnight UTC) or a date-time with its time zone.
 * Years 1900–2999, as for dates: PostgreSQL refuses some that JavaScript accepts (year 0).
 */
export const instant = plainString(40)
  .refine((v) => isoInstant.safeParse(v).success, 'must be a date (YYYY-MM-DD) or a date-time with a time zone (ISO 8601)')
  .refine((v) => !isoInstant.safeParse(v).success || (v.slice(0, 4) >= '1900' && v.slice(0, 4) <= '2999'), 'must be in the years 1900–2999')
  .transform((v) => new Date(DATE_ONLY.test(v) ? `${v}T00:00:00Z` : v));

/**
 * `?since=` asks for a health history rather than a plain filter: the updates posted at or after
 * it and, before them, the one in force at `since` (if any), so a reader knows the health on
 * every day from `since` on (the portfolio's health chart) without loading the older history.
 */
export const listUpdatesQuerySchema = pageQuerySchema.extend({
  since: instant
    .optional()
    .describe(
      'Only the health history from this date or date-time on: the updates posted at or after it, and the last one before it (the health in force at that moment), if any.',
    ),
});
export type ListUpdatesQuery = z.output<typeof listUpdatesQuerySchema>;

// ── Portfolio ─────────────────────────────────────────────────────────────────
export const portfolioQuerySchema = z.strictObject({
  teamId: uuid.optional(),
  health: z.enum(HEALTHS).optional(),
  ownerId: uuid.optional(),
});
export type PortfolioQuery = z.output<typeof portfolioQuerySchema>;

// ── Share links ───────────────────────────────────────────────────────────────
export const createShareLinkSchema = z.strictObject({
  expiresInDays: z.number().int('must be a whole number').min(1, 'must be at least 1').max(365, 'must be at most 365').default(30),
});
export type CreateShareLinkInput = z.output<typeof createShareLinkSchema>;

// ── Templates ─────────────────────────────────────────────────────────────────
export const createProgramFromTemplateSchema = z.strictObject({
  templateId: uuid,
  key: z.string().trim().regex(/^[A-Z][A-Z0-9]{1,9}$/, 'must be 2–10 capital letters or digits, starting with a letter'),
  name: oneLine(160),
  description: longText(10_000).default(''),
  teamId: uuid.nullable().optional(),
  startDate: isoDate,
});
export type CreateProgramFromTemplateInput = z.output<typeof createProgramFromTemplateSchema>;

// ── Import ────────────────────────────────────────────────────────────────────
export const importQuerySchema = z.strictObject({
  dryRun: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});
export type ImportQuery = z.output<typeof importQuerySchema>;
