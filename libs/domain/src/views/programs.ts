import { z } from 'zod';
import { ORG_ROLES, PROGRAM_ROLES } from '../roles.js';
import { PROGRAM_STATUSES } from '../schemas.js';
import { date, described, id, named, namedRef, timestamp } from './registry.js';

/** The signed-in person (`GET /auth/me`, and the answer to sign-in). */
export const meView = named('Me', z.object({ id, email: z.string(), name: z.string(), orgRole: z.enum(ORG_ROLES) }), 'The signed-in person');
export const signInView = z.object({ user: meView });

export const personRefView = named('PersonRef', z.object({ id, name: z.string(), email: z.string() }), 'A person with their email');

export const userView = named(
  'User',
  z.object({
    id,
    name: z.string(),
    email: z.string(),
    orgRole: z.enum(ORG_ROLES),
    active: z.boolean(),
    createdAt: timestamp,
    deactivatedAt: timestamp.nullable(),
  }),
  'A person in the organisation',
);

/** What deactivating a person ends: the same counts before (the question) and after (the answer). */
export const accessEndedView = named(
  'AccessEnded',
  z.object({
    sessions: described('sign-ins ended: each browser or device the person was signed in on', z.number().int().nonnegative()),
    apiTokens: described('personal API tokens deleted for good; reactivating the person does not bring them back', z.number().int().nonnegative()),
  }),
  'What deactivating a person ends',
);

export const deactivationPreviewView = named(
  'DeactivationPreview',
  accessEndedView.extend({
    calendarFeed: described('whether the person has a calendar feed: it stops answering while they are deactivated, and works again on reactivation', z.boolean()),
  }),
  'What deactivating this person would do, for the admin to confirm',
);

/** The answer to `PATCH /users/:id`: the person, and what the change ended. */
export const userChangeView = named(
  'UserChange',
  userView.extend({
    revoked: described('when this change deactivated the person: what it ended; null otherwise', accessEndedView.nullable()),
  }),
  'A person after a change, with what a deactivation ended',
);

export const teamView = named('Team', z.object({ id, name: z.string() }));

export const programAbilityView = named(
  'ProgramAbility',
  z.object({
    read: described('may see the program and everything under it', z.boolean()),
    write: described('may change the plan: milestones, waves, checklists, documents', z.boolean()),
    manage: described('may change the program itself, its members and baselines, and archive it', z.boolean()),
  }),
  'What the caller may do with a program',
);

export const programView = named(
  'Program',
  z.object({
    id,
    key: z.string(),
    name: z.string(),
    description: z.string(),
    status: z.enum(PROGRAM_STATUSES),
    startDate: date.nullable(),
    targetDate: date.nullable(),
    owner: personRefView,
    team: teamView.nullable(),
    myRole: described("the caller's program role; null when they are not a member", z.enum(PROGRAM_ROLES).nullable()),
    ability: programAbilityView,
    createdAt: timestamp,
    updatedAt: timestamp,
    archivedAt: timestamp.nullable(),
  }),
);

export const memberView = named('Member', z.object({ user: personRefView, role: z.enum(PROGRAM_ROLES), addedAt: timestamp }), 'A member of a program');

export const activityView = named(
  'ActivityEntry',
  z.object({
    id,
    at: timestamp,
    actor: namedRef.nullable(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    action: z.string(),
    summary: z.string(),
    changes: described('each changed field, before and after', z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }))),
  }),
  'One change to a program, as the activity feed shows it',
);

export const programTemplateView = named(
  'ProgramTemplate',
  z.object({
    id,
    name: z.string(),
    description: z.string(),
    milestones: z.array(
      z.object({
        title: z.string(),
        workstream: z.string().nullable(),
        startOffsetDays: described("days from the program's start", z.number().int()),
        durationDays: z.number().int(),
      }),
    ),
    checklist: z.array(z.object({ title: z.string(), ownerTeam: z.string().nullable(), required: z.boolean(), dueOffsetDays: z.number().int() })),
    createdAt: timestamp,
  }),
  'A reusable program shape: standard milestones and a go-live checklist',
);

export const calendarFeedView = named(
  'CalendarFeed',
  z.object({
    exists: described('whether a feed exists; its URL was shown once, when it was made', z.boolean()),
    createdAt: timestamp.nullable(),
  }),
);
export const calendarFeedUrlView = z.object({ url: z.string() });

export const liveView = z.object({ status: z.literal('ok') });
export const readyView = named(
  'Readiness',
  z.object({
    status: described("ok; degraded: serving, but Redis is down (edits are saved, other nodes catch up once it is back); unavailable (503)", z.enum(['ok', 'degraded', 'unavailable'])),
    database: described("'ok', or why PostgreSQL does not answer", z.string()),
    migrations: described("'applied', 'N pending' or 'unknown'", z.string()),
    redis: described("'disabled' (one node, no REDIS_URL), 'ok' or 'down'", z.enum(['disabled', 'ok', 'down'])),
  }),
  'Whether this node can serve: PostgreSQL and Redis reported separately',
);

export const apiTokenView = named(
  'ApiToken',
  z.object({
    id,
    name: z.string(),
    scope: described('read: GET requests and read-only co-editing; write: everything the person may do', z.enum(['read', 'write'])),
    createdAt: timestamp,
    lastUsedAt: described('to the minute', timestamp.nullable()),
    expiresAt: described('null: until revoked', timestamp.nullable()),
  }),
  'A personal API token (without its secret)',
);
export const createdApiTokenView = named(
  'CreatedApiToken',
  apiTokenView.extend({ token: described('`tdm_…`, sent as `Authorization: Bearer <token>`; shown only this once', z.string()) }),
  'A new personal API token, with its secret',
);
