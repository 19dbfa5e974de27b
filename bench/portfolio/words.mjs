// Word lists for the generated large organisation (seed-large.mjs). Plain data, no logic.

export const FIRST_NAMES = [
  'Amara', 'Bruno', 'Chloé', 'Dmitri', 'Elena', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas',
  'Kavya', 'Luca', 'Maya', 'Nikolai', 'Olga', 'Pedro', 'Quentin', 'Rosa', 'Samir', 'Tomás',
  'Uma', 'Viktor', 'Wanjiru', 'Xavier', 'Yara', 'Zofia', 'Aiden', 'Beatriz', 'Carlos', 'Daria',
  'Emil', 'Fatima', 'Gabriel', 'Hana', 'Ivan', 'Julia', 'Kofi', 'Lucía', 'Marek', 'Nadia',
];

export const LAST_NAMES = [
  'Almeida', 'Bauer', 'Castro', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Horvat', 'Ibrahim', 'Jensen',
  'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrova', 'Quispe', 'Rossi', 'Santos', 'Tanaka',
  'Urbina', 'Varga', 'Weber', 'Xu', 'Yilmaz', 'Zieliński', 'Andersen', 'Brennan', 'Costa', 'Dimitrov',
];

export const SUBJECTS = [
  'QA scorecard', 'Chat deflection', 'Knowledge base', 'WFM forecasting', 'Voice bot', 'CSAT survey',
  'Macro library', 'Ticket routing', 'Escalation matrix', 'Onboarding curriculum', 'Callback scheduling',
  'Social care', 'Refund automation', 'Quality coaching', 'Shift bidding', 'Omnichannel inbox',
  'Sentiment tagging', 'Agent assist', 'Self-service portal', 'Complaint handling', 'Speech analytics',
  'Case deduplication', 'Tier 2 handover', 'Holiday peak readiness', 'Back-office queue', 'SLA dashboard',
  'Email templates', 'Fraud triage', 'VIP desk', 'Translation workflow',
];

export const KINDS = ['rollout', 'migration', 'pilot', 'program', 'refresh', 'consolidation', 'launch', 'redesign'];

export const REGIONS = [
  'EMEA', 'APAC', 'LATAM', 'North America', 'Lisbon', 'Manila', 'Kraków', 'Austin', 'Dublin',
  'Bogotá', 'Cape Town', 'Kuala Lumpur', 'Sofia', 'Toronto', 'Cairo', 'Hyderabad',
];

/** The twenty milestones of a rollout, in order: [title, workstream]. */
export const MILESTONES = [
  ['Discovery interviews done', 'Discovery'],
  ['Current process mapped', 'Discovery'],
  ['Policy drafted', 'Policy'],
  ['Policy signed off', 'Policy'],
  ['Tooling requirements agreed', 'Tooling'],
  ['Tooling configured', 'Tooling'],
  ['Macros and templates updated', 'Tooling'],
  ['Reporting dashboard live', 'Data'],
  ['Training materials ready', 'Training'],
  ['Train-the-trainer sessions', 'Training'],
  ['QA calibration', 'Quality'],
  ['WFM schedule adjusted', 'WFM'],
  ['Comms plan approved', 'Comms'],
  ['Pilot go-live', 'Rollout'],
  ['Pilot review', 'Rollout'],
  ['Wave 1 go-live', 'Rollout'],
  ['Wave 2 go-live', 'Rollout'],
  ['GA across all sites', 'Rollout'],
  ['Hypercare ends', 'Rollout'],
  ['Rollout retrospective', 'Rollout'],
];

/** Index into MILESTONES of the milestone each wave's go-live follows. */
export const WAVES = [
  ['Pilot', 13],
  ['Wave 1', 15],
  ['Wave 2', 16],
  ['GA', 17],
];

/** Twenty-five go-live checklist items: [title, due offset from go-live in days]. */
export const CHECKLIST = [
  ['Training done', -7], ['Macros updated', -3], ['QA calibration', -5], ['Comms sent', -2],
  ['WFM schedule adjusted', -7], ['Go/no-go sign-off', -1], ['Knowledge articles published', -4],
  ['Routing rules tested', -3], ['Reporting validated', -2], ['Escalation contacts confirmed', -5],
  ['Team leads briefed', -6], ['FAQ for agents shared', -3], ['Access requests granted', -10],
  ['Test tickets closed', -2], ['Rollback plan reviewed', -4], ['Customer notice sent', -7],
  ['Legal review done', -14], ['Vendor confirmed', -10], ['Hypercare rota set', -3],
  ['Floor walkers assigned', -2], ['Dashboards bookmarked', -1], ['Quality baseline captured', -8],
  ['Capacity plan approved', -12], ['Security review done', -14], ['Sign-off recorded', 0],
];

export const RACI_ACTIVITIES = ['Weekly steering meeting', 'Stakeholder comms', 'Risk log upkeep', 'Budget tracking'];

export const NA_REASONS = ['Site already uses the shared tooling', 'Not part of this wave\'s scope', 'Covered by the previous wave'];
export const BLOCKED_REASONS = ['Waiting for legal review', 'Vendor has not delivered the export', 'Team lead on leave until next week', 'Access request pending with IT'];

export const NARRATIVES = {
  on_track: [
    'All workstreams on plan. Next up: the **go/no-go** review.',
    'Training finished at every site in scope; no open blockers.',
    'Pilot feedback is positive, macros adjusted, moving to the next wave as planned.',
  ],
  at_risk: [
    'Calibration sessions slipped a week: two team leads were on leave.',
    'Vendor export is late; we may need to move the next go-live.',
    'Comms are **blocked** on legal review of the customer-facing wording.',
  ],
  off_track: [
    'The tooling change failed QA twice; the go-live date will move by at least three weeks.',
    'Pilot rolled back after a routing incident; root cause analysis in progress.',
  ],
};
