import type { ComputedHealth, Health, ProgramSignals, ProgramStatus, RaciRule, WaveSignals } from '@tandem/domain';

export interface ReportPerson {
  id: string;
  name: string;
  /** left out of shared reports */
  email?: string;
}

export interface MilestoneChange {
  milestoneId: string;
  /** the milestone's current title; null when it has since been deleted */
  title: string | null;
  changes: { at: string; action: string; summary: string; by: string | null }[];
}

export interface Slip {
  milestoneId: string;
  title: string;
  baselineDueDate: string;
  dueDate: string;
  slipDays: number;
}

/** An activity with a RACI gap, with every rule it breaks. */
export interface RaciGap {
  rowId: string;
  kind: 'milestone' | 'activity';
  title: string;
  problems: { rule: RaciRule; message: string }[];
}

export interface StatusReport {
  program: {
    id: string;
    key: string;
    name: string;
    description: string;
    status: ProgramStatus;
    startDate: string | null;
    targetDate: string | null;
    owner: ReportPerson;
    team: { id: string; name: string } | null;
  };
  reported: { health: Health; at: string; author: ReportPerson } | null;
  computed: ComputedHealth;
  signals: ProgramSignals;
  latestUpdate: { id: string; health: Health; narrative: string; author: ReportPerson; createdAt: string } | null;
  /** milestone changes are listed from here on: the status update before the latest one (null: from the start) */
  changesSince: string | null;
  milestoneChanges: MilestoneChange[];
  slips: Slip[];
  checklist: WaveSignals[];
  raciGaps: RaciGap[];
  generatedAt: string;
}
