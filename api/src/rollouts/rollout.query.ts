import { QueryOrder } from '@mikro-orm/postgresql';
import { decodeCursor } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Template items, waves and checklist items list by position, ties by id: the keyset cursors encode. */
export const byPosition = () => [{ position: QueryOrder.ASC }, { id: QueryOrder.ASC }];

export const positionCursor = (row: { position: number; id: string }): (string | number)[] => [row.position, row.id];

/** The filter that continues a list after the cursor's row (nothing without a cursor). */
export function afterPosition(cursor: string | undefined): Record<string, unknown> {
  const after = decodeCursor(cursor, ['int', 'uuid']);
  if (!after) return {};
  const position = Number(after[0]);
  const id = String(after[1]);
  return { $or: [{ position: { $gt: position } }, { position, id: { $gt: id } }] };
}

export interface Owners {
  ownerTeam: Team | null;
  ownerUser: User | null;
}

export interface OwnerIds {
  ownerTeamId: string | null;
  ownerUserId: string | null;
}

/**
 * The owners after a request's `ownerTeamId` / `ownerUserId`: naming one owner replaces the other
 * (an item has one owner); null clears; absent keeps. Pure, for the CSV import's comparison too.
 */
export function ownerIdsAfter(input: { ownerTeamId?: string | null; ownerUserId?: string | null }, current: OwnerIds): OwnerIds {
  let { ownerTeamId, ownerUserId } = current;
  if (input.ownerTeamId !== undefined) {
    ownerTeamId = input.ownerTeamId;
    if (ownerTeamId) ownerUserId = null;
  }
  if (input.ownerUserId !== undefined) {
    ownerUserId = input.ownerUserId;
    if (ownerUserId) ownerTeamId = null;
  }
  return { ownerTeamId, ownerUserId };
}

/** `ownerIdsAfter` with the owners loaded: 400 on the field that names nobody. */
export async function resolveOwners(
  em: EntityManager,
  input: { ownerTeamId?: string | null; ownerUserId?: string | null },
  current: Owners = { ownerTeam: null, ownerUser: null },
): Promise<Owners> {
  const team = input.ownerTeamId ? await em.findOne(Team, { id: input.ownerTeamId }) : null;
  if (input.ownerTeamId && !team) throw new ValidationFailed([{ field: 'ownerTeamId', reason: 'no team has this id' }]);
  // Naming the current owner again is no change, even one deactivated since: only a new owner must be active.
  const keepsUser = !!input.ownerUserId && input.ownerUserId === current.ownerUser?.id;
  const user = input.ownerUserId && !keepsUser ? await em.findOne(User, { id: input.ownerUserId, active: true }) : null;
  if (input.ownerUserId && !keepsUser && !user) throw new ValidationFailed([{ field: 'ownerUserId', reason: 'no active person has this id' }]);
  const ids = ownerIdsAfter(input, { ownerTeamId: current.ownerTeam?.id ?? null, ownerUserId: current.ownerUser?.id ?? null });
  const ownerTeam = ids.ownerTeamId === null ? null : (team ?? current.ownerTeam);
  const ownerUser = ids.ownerUserId === null ? null : (user ?? current.ownerUser);
  return { ownerTeam, ownerUser };
}
