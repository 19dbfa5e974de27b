import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { templateMilestoneDates, templateTarget, type CreateProgramFromTemplateInput } from '@tandem/domain';
import { Activity } from '../activity/activity.entity';
import type { Actor } from '../auth/auth.types';
import { ValidationFailed } from '../common/validation';
import { Milestone } from '../milestones/milestone.entity';
import type { ProgramView } from '../programs/program.view';
import { ProgramsService } from '../programs/programs.service';
import type { Program } from '../programs/program.entity';
import { ChecklistTemplateItem } from '../rollouts/rollout.entity';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';
import { ProgramTemplate, type TemplateChecklistItem, type TemplateMilestone } from './program-template.entity';

export interface TemplateView {
  id: string;
  name: string;
  description: string;
  milestones: TemplateMilestone[];
  checklist: TemplateChecklistItem[];
  createdAt: string;
}

const FIRST_DATE = '1900-01-01';
const LAST_DATE = '2999-12-31';

const templateView = (t: ProgramTemplate): TemplateView => ({
  id: t.id,
  name: t.name,
  description: t.description,
  milestones: t.milestones,
  checklist: t.checklist,
  createdAt: t.createdAt.toISOString(),
});

@Injectable()
export class TemplatesService {
  constructor(private readonly em: EntityManager, private readonly programs: ProgramsService) {}

  /** A short list the organisation curates: one page. */
  async list(): Promise<{ items: TemplateView[]; nextCursor: null }> {
    const templates = await this.em.find(ProgramTemplate, {}, { orderBy: { name: 'asc' }, limit: 500 });
    return { items: templates.map(templateView), nextCursor: null };
  }

  /**
   * A new program (the caller owns it) with the template's milestones, dated from `startDate`, and
   * its go-live checklist — all in the program's creating transaction, so it exists whole or not at all.
   */
  async createProgram(actor: Actor, input: CreateProgramFromTemplateInput): Promise<ProgramView> {
    const { templateId, startDate, ...program } = input;
    return this.programs.create(actor, { ...program, startDate, targetDate: null, status: 'planning' }, (tx, created) =>
      this.apply(tx, actor, created, templateId, startDate),
    );
  }

  private async apply(tx: EntityManager, actor: Actor, program: Program, templateId: string, startDate: string): Promise<void> {
    const template = await tx.findOne(ProgramTemplate, { id: templateId });
    if (!template) throw new ValidationFailed([{ field: 'templateId', reason: 'no template has this id' }]);
    const by = tx.getReference(User, actor.id);
    const targetDate = templateTarget(startDate, template.milestones);
    template.milestones.forEach((m, position) => {
      const { start, due } = templateMilestoneDates(startDate, m);
      // The dates the api accepts anywhere else (isoDate): a milestone it could not be given by hand is not made here either.
      if (start < FIRST_DATE || due > LAST_DATE) {
        throw new ValidationFailed([{ field: 'startDate', reason: `the template's milestones would be dated ${start < FIRST_DATE ? start : due}, outside ${FIRST_DATE} to ${LAST_DATE}` }]);
      }
      const milestone = tx.create(Milestone, { program, title: m.title, workstream: m.workstream, startDate: start, dueDate: due, position });
      tx.create(Activity, {
        program,
        actor: by,
        entityType: 'milestone',
        entityId: milestone.id,
        action: 'created',
        summary: `created milestone "${m.title}" from the template ${template.name}`.slice(0, 500),
        changes: {
          title: { before: null, after: m.title },
          startDate: { before: null, after: start },
          dueDate: { before: null, after: due },
          workstream: { before: null, after: m.workstream },
          position: { before: null, after: position },
        },
      });
    });
    const teamNames = [...new Set(template.checklist.map((i) => i.ownerTeam).filter((n): n is string => Boolean(n)))];
    const teams = new Map((teamNames.length ? await tx.find(Team, { name: { $in: teamNames } }) : []).map((t) => [t.name, t]));
    template.checklist.forEach((item, position) => {
      const created = tx.create(ChecklistTemplateItem, {
        program,
        title: item.title,
        ownerTeam: item.ownerTeam ? (teams.get(item.ownerTeam) ?? null) : null,
        required: item.required,
        dueOffsetDays: item.dueOffsetDays,
        position,
      });
      tx.create(Activity, {
        program,
        actor: by,
        entityType: 'checklist_template_item',
        entityId: created.id,
        action: 'created',
        summary: `added "${item.title}" to the checklist template`.slice(0, 500),
      });
    });
    program.targetDate = targetDate;
    tx.create(Activity, {
      program,
      actor: by,
      entityType: 'program',
      entityId: program.id,
      action: 'applied_template',
      summary: `set up from the template ${template.name}: ${template.milestones.length} milestones, ${template.checklist.length} checklist items`.slice(0, 500),
      changes: { template: { before: null, after: template.name } },
    });
  }
}
