import { Activity } from '../activity/activity.entity';
import { Session } from '../auth/session.entity';
import { UserIdentity } from '../auth/user-identity.entity';
import { CalendarToken } from '../calendar/calendar-token.entity';
import { DocSnapshot, DocUpdate, DocVersion } from '../collab/doc-storage.entity';
import { Doc } from '../docs/doc.entity';
import { Baseline, BaselineMilestone, DeletedMilestone, Milestone, MilestoneDependency } from '../milestones/milestone.entity';
import { PortfolioVersion } from '../portfolio/portfolio-version.entity';
import { ProgramMember } from '../programs/program-member.entity';
import { Program } from '../programs/program.entity';
import { RaciAssignment, RaciRow } from '../raci/raci.entity';
import { ShareLink } from '../reports/share-link.entity';
import { ChecklistItem, ChecklistTemplateItem, MilestoneChecklistLink, Wave } from '../rollouts/rollout.entity';
import { Team } from '../teams/team.entity';
import { ProgramTemplate } from '../templates/program-template.entity';
import { ApiToken } from '../tokens/api-token.entity';
import { StatusUpdate } from '../updates/status-update.entity';
import { User } from '../users/user.entity';

/** Every entity, listed once: the ORM, the migrations check and the tests use this array. */
export const ENTITIES = [
  User,
  Session,
  UserIdentity,
  ApiToken,
  Team,
  Program,
  ProgramMember,
  PortfolioVersion,
  Milestone,
  MilestoneDependency,
  Baseline,
  BaselineMilestone,
  DeletedMilestone,
  RaciRow,
  RaciAssignment,
  ChecklistTemplateItem,
  Wave,
  ChecklistItem,
  MilestoneChecklistLink,
  StatusUpdate,
  Activity,
  ShareLink,
  CalendarToken,
  ProgramTemplate,
  Doc,
  DocUpdate,
  DocSnapshot,
  DocVersion,
];
