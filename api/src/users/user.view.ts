import type { OrgRole } from '@tandem/domain';
import type { User } from './user.entity';

export interface PersonRef {
  id: string;
  name: string;
  email: string;
}

export interface UserView extends PersonRef {
  orgRole: OrgRole;
  active: boolean;
  createdAt: string;
  deactivatedAt: string | null;
}

export const personRef = (user: User): PersonRef => ({ id: user.id, name: user.name, email: user.email });

export const userView = (user: User): UserView => ({
  ...personRef(user),
  orgRole: user.orgRole,
  active: user.active,
  createdAt: user.createdAt.toISOString(),
  deactivatedAt: user.deactivatedAt?.toISOString() ?? null,
});

/** What deactivating a person ended (or, in a preview, would end). */
export interface AccessEnded {
  sessions: number;
  apiTokens: number;
}

export interface DeactivationPreview extends AccessEnded {
  calendarFeed: boolean;
}

/** `PATCH /users/:id`: the person, and what the change ended when it deactivated them. */
export interface UserChange extends UserView {
  revoked: AccessEnded | null;
}
