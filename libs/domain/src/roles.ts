/**
 * Who may do what. The api's `access` module decides with these rules and the web uses the same
 * ones to hide controls a person cannot use — one definition, two callers.
 */
export const ORG_ROLES = ['admin', 'member', 'viewer'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

export const PROGRAM_ROLES = ['owner', 'editor', 'viewer'] as const;
export type ProgramRole = (typeof PROGRAM_ROLES)[number];

export interface ProgramAbility {
  /** may see the program and everything under it */
  read: boolean;
  /** may change the plan: milestones, waves, checklists, documents */
  write: boolean;
  /** may change the program itself, its members and baselines, and archive it */
  manage: boolean;
}

const NONE: ProgramAbility = { read: false, write: false, manage: false };

/**
 * The ability a person has on one program, from their organisation role and their program role
 * (null when they are not a member). Org admins manage everything; org viewers (leadership) read
 * everything and write nothing, whatever program role they were given.
 */
export function programAbility(orgRole: OrgRole, programRole: ProgramRole | null): ProgramAbility {
  if (orgRole === 'admin') return { read: true, write: true, manage: true };
  if (orgRole === 'viewer') return { read: true, write: false, manage: false };
  switch (programRole) {
    case 'owner':
      return { read: true, write: true, manage: true };
    case 'editor':
      return { read: true, write: true, manage: false };
    case 'viewer':
      return { read: true, write: false, manage: false };
    default:
      return NONE;
  }
}

/** Whether an org role sees every program without being a member of it. */
export function readsAllPrograms(orgRole: OrgRole): boolean {
  return orgRole === 'admin' || orgRole === 'viewer';
}

/** Only admins and members start programs; leadership (viewer) reads. */
export function mayCreatePrograms(orgRole: OrgRole): boolean {
  return orgRole === 'admin' || orgRole === 'member';
}

/**
 * What a person may change in a program as it is now. An archived program is read-only: its plan,
 * rollout, RACI, documents and reports do not change until it is restored — only who may see it
 * (members) and links to its report stay manageable, and archiving itself (`manage`).
 */
export function mayChange(program: { ability: ProgramAbility; archivedAt: string | Date | null }, need: 'write' | 'manage' = 'write'): boolean {
  return program.ability[need] && !program.archivedAt;
}

/** What an admin may change about a person's standing: their org role, and whether they may sign in. */
export interface Standing {
  orgRole: OrgRole;
  active: boolean;
}

/** Whether a change takes a person out of the active admins: demoting or deactivating an admin who is active. */
export function removesActiveAdmin(before: Standing, change: Partial<Standing>): boolean {
  if (before.orgRole !== 'admin' || !before.active) return false;
  return (change.orgRole !== undefined && change.orgRole !== 'admin') || change.active === false;
}

/**
 * Why a change is refused because it would leave the organisation without an active admin — no
 * one could then add, change or reactivate people — or null when it may go ahead. `activeAdmins`
 * counts the active admins now, the person included.
 */
export function lastAdminBlock(person: Standing & { name: string }, change: Partial<Standing>, activeAdmins: number): string | null {
  if (!removesActiveAdmin(person, change) || activeAdmins > 1) return null;
  return `${person.name} is the last active admin: make someone else an admin first, so the organisation keeps someone who can manage people`;
}
