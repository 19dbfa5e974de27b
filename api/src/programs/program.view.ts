import type { ProgramAbility, ProgramRole, ProgramStatus } from '@tandem/domain';
import { personRef, type PersonRef } from '../users/user.view';
import type { ProgramMember } from './program-member.entity';
import type { Program } from './program.entity';

export interface ProgramView {
  id: string;
  key: string;
  name: string;
  description: string;
  status: ProgramStatus;
  startDate: string | null;
  targetDate: string | null;
  owner: PersonRef;
  team: { id: string; name: string } | null;
  myRole: ProgramRole | null;
  ability: ProgramAbility;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface MemberView {
  user: PersonRef;
  role: ProgramRole;
  addedAt: string;
}

export function programView(program: Program, access: { role: ProgramRole | null; ability: ProgramAbility }): ProgramView {
  return {
    id: program.id,
    key: program.key,
    name: program.name,
    description: program.description,
    status: program.status,
    startDate: program.startDate,
    targetDate: program.targetDate,
    owner: personRef(program.owner),
    team: program.team ? { id: program.team.id, name: program.team.name } : null,
    myRole: access.role,
    ability: access.ability,
    createdAt: program.createdAt.toISOString(),
    updatedAt: program.updatedAt.toISOString(),
    archivedAt: program.archivedAt?.toISOString() ?? null,
  };
}

export const memberView = (member: ProgramMember): MemberView => ({
  user: personRef(member.user),
  role: member.role,
  addedAt: member.addedAt.toISOString(),
});
