import { Session } from '../auth/session.entity';
import { User } from '../users/user.entity';
import { Team } from '../teams/team.entity';
import { Program } from '../programs/program.entity';
import { ProgramMember } from '../programs/program-member.entity';

/** Every entity, listed once: the ORM, the migrations check and the tests use this array. */
export const ENTITIES = [User, Session, Team, Program, ProgramMember];
