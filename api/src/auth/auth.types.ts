import type { OrgRole } from '@tandem/domain';

/** The signed-in person, attached to every authenticated request. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  orgRole: OrgRole;
}

export const SESSION_COOKIE = 'tandem_session';
