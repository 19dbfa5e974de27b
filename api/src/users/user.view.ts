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
