import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { raciGaps, slipDays, todayUtc } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { Activity } from '../activity/activity.entity';
import type { Actor } from '../auth/auth.types';
import { Milestone } from '../milestones/milestone.entity';
import type { Program } from '../programs/program.entity';
import { RaciRow } from '../raci/raci.entity';
import { SignalsService } from '../signals/signals.service';
import { StatusUpdate } from '../updates/status-update.entity';
import type { User } from '../users/user.entity';
import { renderReportMarkdown } from './report.markdown';
import type { MilestoneChange, RaciGap, ReportPerson, Slip, StatusReport } from './report.view';

/** A report lists at most this many milestone changes; a quiet program never comes close. */
const MAX_CHANGES = 500;

/** Email addresses typed into free text; a shared report shows none. */
const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[A-Za-z]{2,}/g;

/**
 * The status report of one program: health and its reasons, what changed since the previous
 * update, slips, checklist progress, RACI gaps and the latest narrative. The same report serves
 * signed-in readers and share links; `shared` drops every email.
 */
@Injectable()
export class ReportService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly signals: SignalsService) {}

  async forReader(actor: Actor, idOrKey: string): Promise<StatusReport> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'read');
    return this.build(program, false);
  }

  async markdownForReader(actor: Actor, idOrKey: string): Promise<string> {
    return renderReportMarkdown(await this.forReader(actor, idOrKey));
  }

  /** `program` with its owner and team loaded. */
  async build(program: Program, shared: boolean, now = new Date()): Promise<StatusReport> {
    const person = (user: User): ReportPerson => (shared ? { id: user.id, name: user.name } : { id: user.id, name: user.name, email: user.email });
    const text = (value: string) => (shared ? value.replace(EMAIL, '[email hidden]') : value);
    const health = (await this.signals.forPrograms([program.id], todayUtc(now))).get(program.id)!;
    const [latest, previous] = await this.em.find(StatusUpdate, { program }, { populate: ['author'], orderBy: { createdAt: 'desc', id: 'desc' }, limit: 2 });
    const changesSince = previous?.createdAt ?? null;
    const milestones = await this.em.find(Milestone, { program }, { fields: ['id', 'title', 'dueDate'], orderBy: { position: 'asc', id: 'asc' } });
    const titles = new Map(milestones.map((m) => [m.id, m.title]));
    return {
      program: {
        id: program.id,
        key: program.key,
        name: program.name,
        description: text(program.description),
        status: program.status,
        startDate: program.startDate,
        targetDate: program.targetDate,
        owner: person(program.owner),
        team: program.team ? { id: program.team.id, name: program.team.name } : null,
      },
      reported: latest ? { health: latest.health, at: latest.createdAt.toISOString(), author: person(latest.author) } : null,
      computed: health.computed,
      signals: health.signals,
      latestUpdate: latest
        ? { id: latest.id, health: latest.health, narrative: text(latest.narrative), author: person(latest.author), createdAt: latest.createdAt.toISOString() }
        : null,
      changesSince: changesSince?.toISOString() ?? null,
      milestoneChanges: await this.milestoneChanges(program, changesSince, titles, text),
      slips: await this.slips(program, milestones),
      checklist: health.signals.checklist,
      raciGaps: await this.raciGaps(program, titles),
      generatedAt: now.toISOString(),
    };
  }

  /** From the activity log, oldest first, grouped by milestone in the order they first changed. */
  private async milestoneChanges(program: Program, since: Date | null, titles: Map<string, string>, text: (v: string) => string): Promise<MilestoneChange[]> {
    const rows = await this.em.find(
      Activity,
      { program, entityType: 'milestone', ...(since ? { at: { $gt: since } } : {}) },
      { populate: ['actor'], orderBy: { id: 'asc' }, limit: MAX_CHANGES },
    );
    const byMilestone = new Map<string, MilestoneChange>();
    for (const row of rows) {
      if (!row.entityId) continue;
      const entry = byMilestone.get(row.entityId) ?? { milestoneId: row.entityId, title: titles.get(row.entityId) ?? null, changes: [] };
      byMilestone.set(row.entityId, entry);
      entry.changes.push({ at: row.at.toISOString(), action: row.action, summary: text(row.summary), by: row.actor?.name ?? null });
    }
    return [...byMilestone.values()];
  }

  private async slips(program: Program, milestones: readonly { id: string; title: string; dueDate: string | null }[]): Promise<Slip[]> {
    const baseline = await this.signals.latestBaselineDates([program.id]);
    const slips: Slip[] = [];
    for (const m of milestones) {
      const baselineDueDate = baseline.get(m.id)?.dueDate ?? null;
      const days = slipDays(m.dueDate, baselineDueDate);
      if (days && days > 0 && m.dueDate && baselineDueDate) slips.push({ milestoneId: m.id, title: m.title, baselineDueDate, dueDate: m.dueDate, slipDays: days });
    }
    return slips.sort((a, b) => b.slipDays - a.slipDays);
  }

  /**
   * One entry per activity with a gap (`raciGaps`, the count the signals give), named: a milestone's
   * title, or a free-standing activity's. In the matrix's order: the milestones as the plan lists
   * them (`titles` is in that order), then the free-standing activities by position.
   */
  private async raciGaps(program: Program, titles: Map<string, string>): Promise<RaciGap[]> {
    const gaps = raciGaps((await this.signals.raciGaps([program.id])).get(program.id) ?? []);
    const activityIds = gaps.map((g) => g.rowId).filter((id) => !titles.has(id));
    const activities = activityIds.length ? await this.em.find(RaciRow, { id: { $in: activityIds } }, { fields: ['id', 'activity', 'position'], orderBy: { position: 'asc', id: 'asc' } }) : [];
    const activityTitles = new Map(activities.map((r) => [r.id, r.activity ?? '']));
    const order = new Map([...titles.keys(), ...activityTitles.keys()].map((id, i) => [id, i]));
    const rank = (rowId: string) => order.get(rowId) ?? order.size;
    return gaps
      .sort((a, b) => rank(a.rowId) - rank(b.rowId))
      .map((g) => {
        const milestoneTitle = titles.get(g.rowId);
        const problems = g.violations.map((v) => ({ rule: v.rule, message: v.message }));
        return milestoneTitle !== undefined
          ? { rowId: g.rowId, kind: 'milestone', title: milestoneTitle, problems }
          : { rowId: g.rowId, kind: 'activity', title: activityTitles.get(g.rowId) ?? '', problems };
      });
  }
}
