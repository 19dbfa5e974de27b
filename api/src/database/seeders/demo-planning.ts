import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, todayUtc, type ChecklistState, type Health, type MilestoneStatus, type RaciLetter, type WaveStatus } from '@tandem/domain';
import * as Y from 'yjs';
import { DocSnapshot } from '../../collab/doc-storage.entity';
import { Doc } from '../../docs/doc.entity';
import { Baseline, BaselineMilestone, Milestone, MilestoneDependency } from '../../milestones/milestone.entity';
import type { Program } from '../../programs/program.entity';
import { RaciAssignment, RaciRow } from '../../raci/raci.entity';
import { ChecklistItem, ChecklistTemplateItem, Wave } from '../../rollouts/rollout.entity';
import type { Team } from '../../teams/team.entity';
import { StatusUpdate } from '../../updates/status-update.entity';
import type { User } from '../../users/user.entity';

/**
 * The demo organisation's plans, so every view has something real to show: QA mid-rollout with a
 * live pilot, a wave in progress and a slipped milestone; WFM on track; the knowledge-base
 * migration stale (last update weeks ago) with a RACI gap; VOU just planning, never reported.
 */
export interface DemoWorld {
  programs: Map<string, Program>;
  people: Map<string, User>;
  teams: Map<string, Team>;
}

const day = (offset: number) => addDays(todayUtc(), offset);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

interface MilestoneSeed {
  title: string;
  start: number;
  due: number;
  status: MilestoneStatus;
  workstream: string;
  /** due date in the baseline when it differs (negative slip shown as positive days late) */
  baselineDue?: number;
  owner: string;
  raci?: [subject: string, letter: RaciLetter][];
}

const QA_MILESTONES: MilestoneSeed[] = [
  { title: 'QA scorecard policy signed off', start: -45, due: -35, status: 'done', workstream: 'Policy', owner: 'pm@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['qa.lead@demo.tandem', 'R'], ['team:Support Operations', 'C']] },
  { title: 'Scorecard in the QA tool', start: -35, due: -14, status: 'done', workstream: 'Tooling', owner: 'partner@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['partner@demo.tandem', 'R'], ['team:Tooling', 'C']] },
  { title: 'Calibration sessions for team leads', start: -14, due: 6, baselineDue: -4, status: 'in_progress', workstream: 'Quality', owner: 'qa.lead@demo.tandem', raci: [['qa.lead@demo.tandem', 'A'], ['team:Quality Assurance', 'R'], ['leader@demo.tandem', 'I']] },
  { title: 'Lisbon pilot go-live', start: -10, due: -3, status: 'done', workstream: 'Rollout', owner: 'pm@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['team:Support Operations', 'R']] },
  { title: 'Wave 1 go-live (Manila, Kraków)', start: 0, due: 14, status: 'in_progress', workstream: 'Rollout', owner: 'pm@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['team:Support Operations', 'R'], ['team:Workforce Management', 'C']] },
  { title: 'GA across all sites', start: 21, due: 60, baselineDue: 50, status: 'not_started', workstream: 'Rollout', owner: 'pm@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['team:Support Operations', 'R']] },
  { title: 'Rollout retrospective', start: 62, due: 70, status: 'not_started', workstream: 'Rollout', owner: 'pm@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['qa.lead@demo.tandem', 'R']] },
];

const WFM_MILESTONES: MilestoneSeed[] = [
  { title: 'Forecasting model validated on 12 months', start: -20, due: -5, status: 'done', workstream: 'Data', owner: 'wfm.analyst@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['wfm.analyst@demo.tandem', 'R'], ['team:Data', 'C']] },
  { title: 'Weekly accuracy review in place', start: -5, due: 20, status: 'in_progress', workstream: 'Process', owner: 'wfm.analyst@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['wfm.analyst@demo.tandem', 'R']] },
  { title: 'All sites on the shared model', start: 20, due: 90, status: 'not_started', workstream: 'Rollout', owner: 'pm@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['team:Workforce Management', 'R']] },
];

const KB_MILESTONES: MilestoneSeed[] = [
  { title: 'Article ownership agreed', start: -90, due: -60, status: 'done', workstream: 'Policy', owner: 'pm@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['team:Support Operations', 'R']] },
  { title: 'Content freeze on the old bases', start: -40, due: -12, status: 'blocked', workstream: 'Tooling', owner: 'pm@demo.tandem', raci: [['team:Tooling', 'R']] },
  { title: 'Migration of 4,000 articles', start: -10, due: 25, baselineDue: 5, status: 'not_started', workstream: 'Tooling', owner: 'pm@demo.tandem' },
];

const VOU_MILESTONES: MilestoneSeed[] = [
  { title: 'Feedback channels inventoried', start: 10, due: 30, status: 'not_started', workstream: 'Discovery', owner: 'pm@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['team:Product', 'R']] },
  { title: 'Monthly insights review launched', start: 60, due: 120, status: 'not_started', workstream: 'Process', owner: 'pm@demo.tandem', raci: [['pm@demo.tandem', 'A'], ['team:Product', 'R'], ['team:Data', 'C']] },
];

const QA_WAVES: { name: string; scope: string[]; goLive: number; status: WaveStatus; states: ChecklistState[] }[] = [
  { name: 'Pilot', scope: ['Lisbon'], goLive: -3, status: 'live', states: ['done', 'done', 'done', 'done', 'done', 'done'] },
  { name: 'Wave 1', scope: ['Manila', 'Kraków'], goLive: 14, status: 'in_progress', states: ['done', 'todo', 'done', 'blocked', 'not_applicable', 'todo'] },
  { name: 'GA', scope: ['All sites'], goLive: 60, status: 'planned', states: ['todo', 'todo', 'todo', 'todo', 'todo', 'todo'] },
];

const UPDATES: [key: string, daysAgo: number, health: Health, narrative: string][] = [
  ['QA', 20, 'on_track', 'Scorecard is live in the QA tool. Pilot preparation on schedule.'],
  ['QA', 3, 'at_risk', 'Pilot went live in **Lisbon**. Calibration sessions slipped ten days: two team leads were on leave. Wave 1 comms are blocked on legal review.'],
  ['WFM', 4, 'on_track', 'Model validated against 12 months of volume; weekly accuracy review starts Monday.'],
  ['KB', 40, 'at_risk', 'Content freeze blocked until the tooling team finishes the export script.'],
];

export async function seedDemoPlanning(tx: EntityManager, world: DemoWorld): Promise<void> {
  const person = (email: string) => world.people.get(email)!;
  const subject = (s: string): { subjectType: 'user' | 'team'; subjectId: string } =>
    s.startsWith('team:') ? { subjectType: 'team', subjectId: world.teams.get(s.slice(5))!.id } : { subjectType: 'user', subjectId: person(s).id };

  const plans: [string, MilestoneSeed[]][] = [['QA', QA_MILESTONES], ['WFM', WFM_MILESTONES], ['KB', KB_MILESTONES], ['VOU', VOU_MILESTONES]];
  for (const [key, seeds] of plans) {
    const program = world.programs.get(key)!;
    const made = seeds.map((m, position) =>
      tx.create(Milestone, {
        program,
        title: m.title,
        owner: person(m.owner),
        startDate: day(m.start),
        dueDate: day(m.due),
        status: m.status,
        position,
        workstream: m.workstream,
        completedAt: m.status === 'done' ? daysAgo(Math.max(0, -m.due)) : null,
      }),
    );
    for (let i = 1; i < made.length; i++) tx.create(MilestoneDependency, { predecessor: made[i - 1]!, successor: made[i]!, program });
    if (key !== 'VOU') {
      const baseline = tx.create(Baseline, { program, label: 'Plan of record', createdBy: person('pm@demo.tandem'), createdAt: daysAgo(50) });
      made.forEach((m, i) => tx.create(BaselineMilestone, { baseline, milestone: m, startDate: m.startDate, dueDate: day(seeds[i]!.baselineDue ?? seeds[i]!.due) }));
    }
    made.forEach((m, i) => {
      const cells = seeds[i]!.raci ?? [];
      if (!cells.length) return;
      const row = tx.create(RaciRow, { program, milestone: m, position: i });
      for (const [s, letter] of cells) tx.create(RaciAssignment, { row, program, letter, ...subject(s) });
    });
  }

  const qa = world.programs.get('QA')!;
  const template = [
    ['Training done', 'Support Operations', -7],
    ['Macros updated', 'Tooling', -3],
    ['QA calibration', 'Quality Assurance', -5],
    ['Comms sent', 'Support Operations', -2],
    ['WFM schedule adjusted', 'Workforce Management', -7],
    ['Go/no-go sign-off', null, -1],
  ] as const;
  const templateItems = template.map(([title, team, offset], position) =>
    tx.create(ChecklistTemplateItem, { program: qa, title, ownerTeam: team ? world.teams.get(team)! : null, required: true, dueOffsetDays: offset, position }),
  );
  QA_WAVES.forEach((w, position) => {
    const wave = tx.create(Wave, { program: qa, name: w.name, scope: w.scope, plannedGoLive: day(w.goLive), status: w.status, position, wentLiveAt: w.status === 'live' ? daysAgo(-w.goLive) : null });
    templateItems.forEach((t, i) => {
      const state = w.states[i] ?? 'todo';
      tx.create(ChecklistItem, {
        wave,
        program: qa,
        templateItem: t,
        title: t.title,
        ownerTeam: t.ownerTeam,
        required: t.required,
        dueDate: day(w.goLive + t.dueOffsetDays),
        state,
        reason: state === 'blocked' ? 'Waiting for legal review of the customer-facing wording' : state === 'not_applicable' ? 'Both sites already use the shared schedule' : null,
        changedBy: state === 'todo' ? null : person('qa.lead@demo.tandem'),
        changedAt: state === 'todo' ? null : daysAgo(2),
        position: i,
      });
    });
  });

  for (const [key, ago, health, narrative] of UPDATES) {
    tx.create(StatusUpdate, { program: world.programs.get(key)!, health, narrative, author: person('pm@demo.tandem'), createdAt: daysAgo(ago) });
  }

  const plan = tx.create(Doc, { program: qa, kind: 'plan', title: 'QA rollout plan', createdBy: person('pm@demo.tandem'), lastEditedAt: daysAgo(1) });
  tx.create(DocSnapshot, { doc: plan, state: Buffer.from(planContent()), foldedUpdates: 0 });
}

/** A short plan in the editor's schema (a ProseMirror document in the `default` XmlFragment). */
function planContent(): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  const block = (name: string, text: string, attrs: Record<string, string | number> = {}) => {
    const el = new Y.XmlElement(name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
    el.insert(0, [new Y.XmlText(text)]);
    return el;
  };
  fragment.insert(0, [
    block('heading', 'Why we are rolling out the QA scorecard', { level: 2 }),
    block('paragraph', 'One scorecard and monthly calibration for every support site, so quality scores mean the same thing in Lisbon, Manila and Kraków.'),
    block('heading', 'How we roll out', { level: 2 }),
    block('paragraph', 'Pilot in Lisbon, then Wave 1 (Manila, Kraków), then GA. Each wave goes live only when its checklist is closed.'),
  ]);
  return Y.encodeStateAsUpdate(doc);
}
