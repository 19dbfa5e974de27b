/** The `/live` namespace: pages subscribe to programs and are told what changed. */
export const LIVE_NAMESPACE = '/live';
export const LIVE_EVENT = 'change';

export const programRoom = (programId: string) => `program:${programId}`;
export const userRoom = (userId: string) => `user:${userId}`;

export interface ProgramChangeEvent {
  programId: string;
  /** program, milestone, dependency, baseline, raci, wave, checklist_item, update, member, … */
  entityType: string;
  entityId: string | null;
  action: string;
  actorId: string | null;
  at: string;
}

export type SubscribeAck = { ok: true } | { ok: false; error: 'not_found' | 'invalid' };
