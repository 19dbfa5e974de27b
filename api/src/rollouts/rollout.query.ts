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

/**
 * Applies `ownerTeamId` / `ownerUserId` from a request to the current owners. Naming one owner
 * replaces the other (an item has one owner); null clears; absent keeps. 400 on the field that
 * names nobody.
 */
export async function resolveOwners(
  em: EntityManager,
  input: { ownerTeamId?: string | null; ownerUserId?: string | null },
  current: Owners = { ownerTeam: null, ownerUser: null },
): Promise<Owners> {
  let { ownerTeam, ownerUser } = current;
  if (input.ownerTeamId !== undefined) {
    ownerTeam = input.ownerTeamId ? await em.findOne(Team, { id: input.ownerTeamId }) : null;
    if (input.ownerTeamId && !ownerTeam) throw new ValidationFailed([{ field: 'ownerTeamId', reason: 'no team has this id' }]);
    if (ownerTeam) ownerUser = null;
  }
  if (input.ownerUserId !== undefined) {
    ownerUser = input.ownerUserId ? await em.findOne(User, { id: input.ownerUserId, active: true }) : null;
    if (input.ownerUserId && !ownerUser) throw new ValidationFailed([{ field: 'ownerUserId', reason: 'no active person has this id' }]);
    if (ownerUser) ownerTeam = null;
  }
  return { ownerTeam, ownerUser };
}
