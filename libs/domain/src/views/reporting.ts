import { z } from 'zod';
import { PROGRAM_STATUSES } from '../schemas.js';
import { HEALTHS } from '../planning/health.js';
import { RACI_RULES_VIEW, computedHealthView, programSignalsView, waveCompletionView } from './planning.js';
import { date, described, id, named, namedRef, timestamp } from './registry.js';

export const portfolioRowView = named(
  'PortfolioRow',
  z.object({
    program: z.object({ id, key: z.string(), name: z.string(), status: z.enum(PROGRAM_STATUSES) }),
    owner: namedRef,
    team: namedRef.nullable(),
    reported: z.object({ health: z.enum(HEALTHS), at: timestamp }).nullable(),
    computed: computedHealthView,
    signals: programSignalsView,
    nextMilestone: z.object({ id, title: z.string(), dueDate: date }).nullable(),
    milestonesDone: z.object({ done: z.number().int(), total: z.number().int(), percent: z.number().int() }),
    trend: described('health of the latest updates, oldest first', z.array(z.enum(HEALTHS))),
  }),
  "One program on leadership's portfolio page",
);
export const portfolioView = z.object({ items: z.array(portfolioRowView) });

const reportPerson = z.object({ id, name: z.string(), email: described('left out of shared reports', z.string().optional()) });

export const statusReportView = named(
  'StatusReport',
  z.object({
    program: z.object({
      id,
      key: z.string(),
      name: z.string(),
      description: z.string(),
      status: z.enum(PROGRAM_STATUSES),
      startDate: date.nullable(),
      targetDate: date.nullable(),
      owner: reportPerson,
      team: namedRef.nullable(),
    }),
    reported: z.object({ health: z.enum(HEALTHS), at: timestamp, author: reportPerson }).nullable(),
    computed: computedHealthView,
    signals: programSignalsView,
    latestUpdate: z.object({ id, health: z.enum(HEALTHS), narrative: z.string(), author: reportPerson, createdAt: timestamp }).nullable(),
    changesSince: described(
      'milestone changes are listed from here on: the status update before the latest one (null: from the start)',
      timestamp.nullable(),
    ),
    milestoneChanges: z.array(
      z.object({
        milestoneId: id,
        title: described("the milestone's current title; null when it has since been deleted", z.string().nullable()),
        changes: z.array(z.object({ at: timestamp, action: z.string(), summary: z.string(), by: z.string().nullable() })),
      }),
    ),
    slips: z.array(z.object({ milestoneId: id, title: z.string(), baselineDueDate: date, dueDate: date, slipDays: z.number().int() })),
    checklist: z.array(waveCompletionView),
    raciGaps: described(
      'one entry per activity with a RACI gap (as many as signals.raciViolations), each with every rule it breaks',
      z.array(
        z.object({
          rowId: id,
          kind: z.enum(['milestone', 'activity']),
          title: z.string(),
          problems: z.array(z.object({ rule: z.enum(RACI_RULES_VIEW), message: z.string() })),
        }),
      ),
    ),
    generatedAt: timestamp,
  }),
  "A program's status report",
);

export const shareLinkView = named(
  'ShareLink',
  z.object({
    id,
    createdAt: timestamp,
    createdBy: namedRef,
    expiresAt: timestamp,
    revokedAt: timestamp.nullable(),
    active: described('neither revoked nor expired', z.boolean()),
  }),
  'A read-only link to the status report (without its token)',
);
export const createdShareLinkView = named(
  'CreatedShareLink',
  z.object({
    id,
    url: described('the web page that shows the report; the token is in it and is shown only this once', z.string()),
    token: z.string(),
    expiresAt: timestamp,
  }),
);
