import { completion, goLiveBlockers, type ChecklistState, type Completion, type WaveStatus } from '@tandem/domain';
import type { Team } from '../teams/team.entity';
import type { User } from '../users/user.entity';
import type { ChecklistItem, ChecklistTemplateItem, Wave } from './rollout.entity';

/** Who owns a checklist or template item: a team or a person, never both. */
export interface OwnerView {
  type: 'team' | 'user';
  id: string;
  name: string;
}

export interface TemplateItemView {
  id: string;
  title: string;
  owner: OwnerView | null;
  required: boolean;
  dueOffsetDays: number;
  position: number;
}

export interface WaveView {
  id: string;
  programId: string;
  name: string;
  scope: string[];
  plannedGoLive: string | null;
  status: WaveStatus;
  position: number;
  wentLiveAt: string | null;
  createdAt: string;
  updatedAt: string;
  completion: Completion;
  /** required items still open: each one keeps the wave from going live */
  blockers: number;
}

export interface ChecklistItemView {
  id: string;
  waveId: string;
  templateItemId: string | null;
  title: string;
  owner: OwnerView | null;
  required: boolean;
  dueDate: string | null;
  state: ChecklistState;
  reason: string | null;
  changedBy: { id: string; name: string } | null;
  changedAt: string | null;
  position: number;
}

export interface BlockerView {
  id: string;
  title: string;
  state: ChecklistState;
  owner: OwnerView | null;
}

/** Owners must be loaded (populated) for their names. */
export function ownerView(item: { ownerTeam: Team | null; ownerUser: User | null }): OwnerView | null {
  if (item.ownerTeam) return { type: 'team', id: item.ownerTeam.id, name: item.ownerTeam.name };
  if (item.ownerUser) return { type: 'user', id: item.ownerUser.id, name: item.ownerUser.name };
  return null;
}

export const templateItemView = (item: ChecklistTemplateItem): TemplateItemView => ({
  id: item.id,
  title: item.title,
  owner: ownerView(item),
  required: item.required,
  dueOffsetDays: item.dueOffsetDays,
  position: item.position,
});

export function waveView(wave: Wave, items: readonly { required: boolean; state: ChecklistState; id: string; title: string }[]): WaveView {
  return {
    id: wave.id,
    programId: wave.program.id,
    name: wave.name,
    scope: wave.scope,
    plannedGoLive: wave.plannedGoLive,
    status: wave.status,
    position: wave.position,
    wentLiveAt: wave.wentLiveAt?.toISOString() ?? null,
    createdAt: wave.createdAt.toISOString(),
    updatedAt: wave.updatedAt.toISOString(),
    completion: completion(items),
    blockers: goLiveBlockers(items).length,
  };
}

export const checklistItemView = (item: ChecklistItem): ChecklistItemView => ({
  id: item.id,
  waveId: item.wave.id,
  templateItemId: item.templateItem?.id ?? null,
  title: item.title,
  owner: ownerView(item),
  required: item.required,
  dueDate: item.dueDate,
  state: item.state,
  reason: item.reason,
  changedBy: item.changedBy ? { id: item.changedBy.id, name: item.changedBy.name } : null,
  changedAt: item.changedAt?.toISOString() ?? null,
  position: item.position,
});

export const blockerView = (item: ChecklistItem): BlockerView => ({ id: item.id, title: item.title, state: item.state, owner: ownerView(item) });
