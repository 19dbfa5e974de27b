import type { TemplateChecklistItem, TemplateMilestone } from './program-template.entity';

export interface TemplateSeed {
  name: string;
  description: string;
  milestones: TemplateMilestone[];
  checklist: TemplateChecklistItem[];
}

/**
 * The shape of a support-operations process rollout: policy, tooling, training and QA before a
 * pilot, then waves, GA and a retrospective; every wave's go-live checklist. Owning teams are
 * named as the demo organisation names them; an organisation without such a team gets no owner.
 */
export const PROCESS_ROLLOUT_TEMPLATE: TemplateSeed = {
  name: 'Process rollout',
  description: 'Standard milestones from policy sign-off to retrospective, and the go-live checklist every wave starts with.',
  milestones: [
    { title: 'Policy sign-off', workstream: 'Policy', startOffsetDays: 0, durationDays: 14 },
    { title: 'Tooling ready', workstream: 'Tooling', startOffsetDays: 7, durationDays: 28 },
    { title: 'Training delivered', workstream: 'Training', startOffsetDays: 28, durationDays: 21 },
    { title: 'QA calibration', workstream: 'Quality', startOffsetDays: 42, durationDays: 14 },
    { title: 'Pilot go-live', workstream: 'Rollout', startOffsetDays: 56, durationDays: 7 },
    { title: 'Wave rollout', workstream: 'Rollout', startOffsetDays: 63, durationDays: 35 },
    { title: 'GA', workstream: 'Rollout', startOffsetDays: 98, durationDays: 14 },
    { title: 'Retrospective', workstream: 'Rollout', startOffsetDays: 112, durationDays: 7 },
  ],
  checklist: [
    { title: 'Training done', ownerTeam: 'Support Operations', required: true, dueOffsetDays: -7 },
    { title: 'Macros updated', ownerTeam: 'Tooling', required: true, dueOffsetDays: -3 },
    { title: 'QA calibration', ownerTeam: 'Quality Assurance', required: true, dueOffsetDays: -5 },
    { title: 'Comms sent', ownerTeam: 'Support Operations', required: true, dueOffsetDays: -2 },
    { title: 'WFM schedule adjusted', ownerTeam: 'Workforce Management', required: true, dueOffsetDays: -7 },
    { title: 'Go/no-go sign-off', ownerTeam: null, required: true, dueOffsetDays: -1 },
  ],
};

/** What every database starts with (a migration inserts them). */
export const TEMPLATE_SEEDS: readonly TemplateSeed[] = [PROCESS_ROLLOUT_TEMPLATE];
