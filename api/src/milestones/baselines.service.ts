import { Injectable } from '@nestjs/common';
import { EntityManager, QueryOrder } from '@mikro-orm/postgresql';
import type { Page, PageQuery, SetBaselineInput } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { ProgramChanges } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { decodeCursor, toPage } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import { uuidArray } from '../signals/signals.service';
import { User } from '../users/user.entity';
import { Baseline, BaselineMilestone, Milestone } from './milestone.entity';
import { baselineView, type BaselineView } from './milestone.view';

/**
 * Baselines freeze every milestone's dates so slip can be measured; the history is kept and slip is
 * always against the latest one (SignalsService.latestBaselineDates).
 */
@Injectable()
export class BaselinesService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly changes: ProgramChanges) {}

  async set(actor: Actor, programIdOrKey: string, input: SetBaselineInput): Promise<BaselineView> {
    return this.changes.apply(actor, programIdOrKey, 'manage', async ({ tx, program, record }) => {
      const milestones = await tx.find(Milestone, { program });
      const baseline = tx.create(Baseline, { program, label: input.label ?? null, createdBy: await tx.findOneOrFail(User, { id: actor.id }) });
      for (const milestone of milestones) {
        tx.create(BaselineMilestone, { baseline, milestone, startDate: milestone.startDate, dueDate: milestone.dueDate });
      }
      const name = baseline.label ? `"${baseline.label}"` : 'a baseline';
      record({
        entityType: 'baseline',
        entityId: baseline.id,
        action: 'created',
        summary: `set ${name} of ${milestones.length} milestone${milestones.length === 1 ? '' : 's'}`,
        changes: { label: { before: null, after: baseline.label } },
      });
      return baselineView(baseline, milestones.length);
    });
  }

  /** Newest first, each with how many milestones it holds. */
  async list(actor: Actor, programIdOrKey: string, query: PageQuery): Promise<Page<BaselineView>> {
    const { program } = await this.access.requireProgram(actor, programIdOrKey, 'read');
    const after = decodeCursor(query.cursor, ['int', 'uuid']);
    const at = after ? new Date(Number(after[0])) : null;
    if (at && Number.isNaN(at.getTime())) throw new ValidationFailed([{ field: 'cursor', reason: 'is not a cursor this list returned' }]);
    const rows = await this.em.find(
      Baseline,
      { program, ...(at && after ? { $or: [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: String(after[1]) } }] } : {}) },
      { populate: ['createdBy'], orderBy: { createdAt: QueryOrder.DESC, id: QueryOrder.DESC }, limit: query.limit + 1 },
    );
    const counts = await this.counts(rows.map((b) => b.id));
    return toPage(rows, query.limit, (b) => [b.createdAt.getTime(), b.id], (b) => baselineView(b, counts.get(b.id) ?? 0));
  }

  private async counts(baselineIds: string[]): Promise<Map<string, number>> {
    if (!baselineIds.length) return new Map();
    const rows = await this.em.getConnection().execute<{ baseline_id: string; n: string }[]>(
      'select baseline_id, count(*) as n from baseline_milestone where baseline_id = any(?::uuid[]) group by baseline_id',
      [uuidArray(baselineIds)],
    );
    return new Map(rows.map((r) => [r.baseline_id, Number(r.n)]));
  }
}
