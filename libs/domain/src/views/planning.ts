import { z } from 'zod';
import { CHECKLIST_STATES, WAVE_STATUSES } from '../planning/checklist.js';
import { OFF_TRACK_GO_LIVE_DAYS, OFF_TRACK_GO_LIVES } from '../planning/golive.js';
import { HEALTHS, MILESTONE_STATUSES, OFF_TRACK_OVERDUE } from '../planning/health.js';
import { RACI_LETTERS, type RaciRule } from '../planning/raci.js';
import { RACI_SUBJECTS } from '../planning/schemas.js';
import { date, described, fieldErrorView, id, named, namedRef, timestamp } from './registry.js';

// ── Milestones ────────────────────────────────────────────────────────────────
const baselineDates = z.object({ startDate: date.nullable(), dueDate: date.nullable() });

export const milestoneView = named(
  'Milestone',
  z.object({
    id,
    programId: id,
    title: z.string(),
    description: z.string(),
    owner: namedRef.nullable(),
    startDate: date.nullable(),
    dueDate: date.nullable(),
    status: z.enum(MILESTONE_STATUSES),
    position: z.number().int(),
    workstream: z.string().nullable(),
    completedAt: timestamp.nullable(),
    baseline: described("the milestone's dates in the program's latest baseline; null without one (or if added since)", baselineDates.nullable()),
    slipDays: described('days the due date moved against the latest baseline (positive: later)', z.number().int().nullable()),
    overdue: z.boolean(),
    checklistItemIds: z.array(id),
    openChecklistItems: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
);

/** A milestone deleted from the program, which can still be restored with what went with it. */
export const deletedMilestoneView = named(
  'DeletedMilestone',
  z.object({ id: described('the milestone\'s id, which it gets back when restored', id), title: z.string(), deletedAt: timestamp, deletedBy: namedRef.nullable() }),
);

export const deletedMilestonesView = z.object({ items: z.array(deletedMilestoneView) });

export const restoredMilestoneView = named(
  'RestoredMilestone',
  z.object({
    milestone: milestoneView,
    leftOut: described(
      'what went with the milestone but could not come back, one sentence each (a dependency on a milestone deleted since, or one that would now close a loop; a link to a checklist item deleted since; a RACI letter of a team or person removed since)',
      z.array(z.string()),
    ),
  }),
);

export const baselineView = named(
  'Baseline',
  z.object({ id, label: z.string().nullable(), createdBy: namedRef, createdAt: timestamp, milestoneCount: described("how many milestones' dates it holds", z.number().int()) }),
);

export const dependencyView = named('Dependency', z.object({ predecessorId: id, successorId: id }), 'A finish-to-start dependency between two milestones');
export const dependencyViolationView = named(
  'DependencyViolation',
  z.object({ predecessorId: id, successorId: id, overlapDays: described('how many days the successor starts before the predecessor is due', z.number().int()) }),
);
export const dependenciesView = z.object({ items: z.array(dependencyView), violations: z.array(dependencyViolationView) });

/** The answer to a CSV import, dry run or real (milestones and checklist items alike). */
export const importResultView = named(
  'ImportResult',
  z.object({
    dryRun: z.boolean(),
    valid: z.boolean(),
    ignoredColumns: described('header cells that name no column this import reads, as written: their cells were not read (the export\'s computed columns are not listed)', z.array(z.string())),
    knownColumns: described('the columns this import reads, as its export names them (a header matches ignoring case, spaces, _ and -)', z.array(z.string())),
    rows: z.array(
      z.object({
        line: z.number().int(),
        action: z.enum(['create', 'update', 'unchanged']),
        errors: z.array(fieldErrorView),
        id: described('what was written (real runs only)', id.optional()),
      }),
    ),
  }),
);

// ── RACI ──────────────────────────────────────────────────────────────────────
export const RACI_RULES_VIEW = ['no_accountable', 'multiple_accountable', 'no_responsible'] as const satisfies readonly RaciRule[];
const rowKind = z.enum(['milestone', 'activity']);

export const raciSubjectView = named('RaciSubject', z.object({ type: z.enum(RACI_SUBJECTS), id, name: z.string() }), 'A person or a team in the RACI matrix');
export const raciViolationView = named('RaciViolation', z.object({ rowId: id, rule: z.enum(RACI_RULES_VIEW), message: z.string() }));
export const raciRowView = named(
  'RaciRow',
  z.object({
    id: described('the raci_row id, or the milestone id while nobody has been assigned to that milestone yet', id),
    kind: rowKind,
    milestoneId: id.nullable(),
    title: z.string(),
    cells: z.array(z.object({ subject: raciSubjectView, letter: z.enum(RACI_LETTERS) })),
  }),
);
export const raciMatrixView = named(
  'RaciMatrix',
  z.object({
    rows: z.array(raciRowView),
    columns: described('every person and team that holds a letter somewhere in the matrix: people first, by name', z.array(raciSubjectView)),
    violations: z.array(raciViolationView),
  }),
);
export const raciRowChangeView = named('RaciRowChange', raciRowView.extend({ violations: z.array(raciViolationView) }), 'A row after a change, with its violations');
export const personRaciView = named(
  'PersonRaci',
  z.object({
    items: z.array(
      z.object({
        program: z.object({ id, key: z.string(), name: z.string() }),
        rows: z.array(z.object({ rowId: id, kind: rowKind, milestoneId: id.nullable(), title: z.string(), letter: z.enum(['R', 'A']) })),
      }),
    ),
  }),
  'What a person is directly Responsible or Accountable for, by program',
);

// ── Rollout waves and checklists ──────────────────────────────────────────────
export const completionView = named(
  'Completion',
  z.object({
    closed: z.number().int(),
    total: z.number().int(),
    percent: described('0–100, rounded down; 100 only when everything is closed; 100 for an empty list', z.number().int()),
  }),
);

export const checklistOwnerView = named('ChecklistOwner', z.object({ type: z.enum(['team', 'user']), id, name: z.string() }), 'A team or a person, never both');

export const checklistTemplateItemView = named(
  'ChecklistTemplateItem',
  z.object({ id, title: z.string(), owner: checklistOwnerView.nullable(), required: z.boolean(), dueOffsetDays: z.number().int(), position: z.number().int() }),
);

export const waveView = named(
  'Wave',
  z.object({
    id,
    programId: id,
    name: z.string(),
    scope: z.array(z.string()),
    plannedGoLive: date.nullable(),
    status: z.enum(WAVE_STATUSES),
    position: z.number().int(),
    wentLiveAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    completion: completionView,
    blockers: described('required items still open: each one keeps the wave from going live', z.number().int()),
  }),
);

export const checklistItemView = named(
  'ChecklistItem',
  z.object({
    id,
    waveId: id,
    templateItemId: id.nullable(),
    title: z.string(),
    owner: checklistOwnerView.nullable(),
    required: z.boolean(),
    dueDate: date.nullable(),
    state: z.enum(CHECKLIST_STATES),
    reason: z.string().nullable(),
    changedBy: namedRef.nullable(),
    changedAt: timestamp.nullable(),
    position: z.number().int(),
  }),
);

const gridCell = z.object({
  itemId: id,
  state: z.enum(CHECKLIST_STATES),
  reason: z.string().nullable(),
  required: described("this wave's own item: it may be required on one wave and optional on another, whatever the row says", z.boolean()),
  dueDate: described('the item\'s due date: with its state, required and the wave\'s status it says whether the item is overdue (isOverdueChecklistItem)', date.nullable()),
});
export const rolloutGridView = named(
  'RolloutGrid',
  z.object({
    waves: z.array(
      z.object({ id, name: z.string(), scope: described('the sites or teams the wave rolls out to', z.array(z.string())), status: z.enum(WAVE_STATUSES), plannedGoLive: date.nullable(), completion: completionView, blockers: z.number().int() }),
    ),
    rows: described(
      "the template's items first, then each item added to a single wave as a row of its own",
      z.array(
        z.object({
          templateItemId: id.nullable(),
          title: z.string(),
          required: described("the template's flag on a template row, the item's own on a wave's own row; each cell says what holds on its wave", z.boolean()),
          cells: described("by wave id; null where the wave has no such item", z.record(z.string(), gridCell.nullable())),
        }),
      ),
    ),
  }),
  'Waves × checklist items',
);

// ── Status updates and health ─────────────────────────────────────────────────
export const statusUpdateView = named(
  'StatusUpdate',
  z.object({ id, health: z.enum(HEALTHS), narrative: described('markdown, as the author wrote it', z.string()), author: namedRef, createdAt: timestamp }),
);

export const waveCompletionView = completionView.extend({
  waveId: id,
  waveName: z.string(),
  status: described('the wave\'s status: the first wave not live is the one the rollout is on (currentWave)', z.enum(WAVE_STATUSES)),
  overdueItems: described(
    'required items still open (not done, not ruled out) past their due date while the wave is not live: they gate a go-live still to come and count as overdue items in computed health',
    z.number().int(),
  ),
});

export const overdueGoLiveView = named(
  'OverdueGoLive',
  z.object({
    waveId: id,
    waveName: z.string(),
    plannedGoLive: date,
    status: described('planned, in progress or rolled back: anything but live', z.enum(WAVE_STATUSES)),
    daysLate: described('whole days since the planned go-live (at least 1)', z.number().int()),
  }),
  'A wave that is not live although its planned go-live date has passed',
);

export const programSignalsView = named(
  'ProgramSignals',
  z.object({
    overdueMilestones: described('milestones not done whose due date is before today', z.number().int()),
    overdueGoLives: described(
      `waves not live (planned, in progress or rolled back) whose planned go-live is before today, the latest first. Any is a risk in computed health; ${OFF_TRACK_GO_LIVES} at once, or one more than ${OFF_TRACK_GO_LIVE_DAYS} days late, are off track`,
      z.array(overdueGoLiveView),
    ),
    overdueChecklistItems: described(
      `go-live checklist items overdue: required, still open, past their due date, on waves not live (the sum of the waves' overdueItems). Counted with overdueMilestones as overdue items: any is a risk, ${OFF_TRACK_OVERDUE} or more together off track`,
      z.number().int(),
    ),
    baselined: described('whether some milestone has a due date in the latest baseline; without one slip cannot be measured and reads 0', z.boolean()),
    maxSlipDays: described('largest slip against the latest baseline, in days (0 when nothing slipped or no baseline)', z.number().int()),
    totalSlipDays: described('sum of positive slips, in days', z.number().int()),
    checklist: z.array(waveCompletionView),
    raciViolations: described(
      'activities (milestones and free-standing RACI rows) with RACI gaps — each counted once, however many rules it breaks (exactly one A, at least one R)',
      z.number().int(),
    ),
    daysSinceLastUpdate: z.number().int().nullable(),
    stale: z.boolean(),
  }),
  'The numbers behind computed health',
);

export const computedHealthView = named(
  'ComputedHealth',
  z.object({ health: z.enum(HEALTHS), reasons: described('why, in words a leader reads; empty when on track', z.array(z.string())) }),
  'The health the numbers say',
);

export const healthSignalsView = named(
  'HealthSignals',
  z.object({
    reported: described('what the owner last reported; null before the first update', z.object({ health: z.enum(HEALTHS), at: timestamp, author: namedRef }).nullable()),
    computed: computedHealthView,
    signals: programSignalsView,
  }),
  'Reported health beside computed health, with the signals behind it',
);
