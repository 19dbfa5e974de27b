import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, QueryOrder } from '@mikro-orm/postgresql';
import {
  milestoneBlockers,
  type CreateMilestoneInput,
  type LinkChecklistItemsInput,
  type Page,
  type PageQuery,
  type UpdateMilestoneInput,
} from '@tandem/domain';
import { changedFieldWords, diffFields } from '../activity/changes';
import { ProgramChanges, type ChangeContext } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { ValidationFailed } from '../common/validation';
import type { Program } from '../programs/program.entity';
import { AccessService } from '../access/access.service';
import { ChecklistItem, MilestoneChecklistLink } from '../rollouts/rollout.entity';
import { User } from '../users/user.entity';
import { keepDeleted, putBack } from './deleted-milestones';
import { DeletedMilestone, Milestone } from './milestone.entity';
import { linkedItems, MilestoneReader } from './milestone-reader.service';
import { EMPTY_SNAPSHOT, snapshot, TRACKED, type ChecklistBlocker, type DeletedMilestoneView, type MilestoneView } from './milestone.view';

/** How many deleted milestones the list shows (the latest); older ones can still be restored by id. */
const DELETED_LISTED = 100;

const notFound = (message: string) => new NotFoundException({ statusCode: 404, error: 'Not Found', message });

@Injectable()
export class MilestonesService {
  constructor(
    private readonly changes: ProgramChanges,
    private readonly reader: MilestoneReader,
    private readonly access: AccessService,
    private readonly em: EntityManager,
  ) {}

  /** By position, then due date (undated last), then id — the order the plan is read in. */
  list(actor: Actor, programIdOrKey: string, query: PageQuery): Promise<Page<MilestoneView>> {
    return this.reader.page(actor, programIdOrKey, query.cursor, query.limit);
  }

  get(actor: Actor, id: string): Promise<MilestoneView> {
    return this.reader.oneFor(actor, id, 'read');
  }

  /** The milestone as the api shows it, read after its change committed. */
  private async view(id: string): Promise<MilestoneView> {
    const view = await this.reader.one(id);
    // deleted by someone else in between
    if (!view) throw notFound('Milestone not found');
    return view;
  }

  /** Without a position the milestone goes last. */
  async create(actor: Actor, programIdOrKey: string, input: CreateMilestoneInput): Promise<MilestoneView> {
    const milestone = await this.changes.apply(actor, programIdOrKey, 'write', async (ctx) => {
      const owner = input.ownerId ? await activeOwner(ctx.tx, input.ownerId) : null;
      const created = ctx.tx.create(Milestone, {
        program: ctx.program,
        title: input.title,
        description: input.description,
        owner,
        startDate: input.startDate ?? null,
        dueDate: input.dueDate ?? null,
        status: input.status,
        position: input.position ?? (await nextPosition(ctx.tx, ctx.program)),
        workstream: input.workstream ?? null,
        completedAt: input.status === 'done' ? new Date() : null,
      });
      ctx.record({ entityType: 'milestone', entityId: created.id, action: 'created', summary: `created milestone "${created.title}"`, changes: diffFields(EMPTY_SNAPSHOT, snapshot(created), TRACKED) });
      return created;
    });
    return this.view(milestone.id);
  }

  /**
   * Dates are merged with the stored ones before checking their order. Marking a milestone done
   * while linked checklist items are open is refused with the blockers, unless someone who may
   * manage the program gives a reason (recorded as an override).
   */
  async update(actor: Actor, id: string, input: UpdateMilestoneInput): Promise<MilestoneView> {
    const milestone = await this.changes.applyToChild(actor, Milestone, id, 'Milestone', 'write', async (ctx, m) => {
      const before = snapshot(m);
      const startDate = input.startDate !== undefined ? input.startDate : m.startDate;
      const dueDate = input.dueDate !== undefined ? input.dueDate : m.dueDate;
      if (startDate && dueDate && dueDate < startDate) {
        throw new ValidationFailed([{ field: input.dueDate !== undefined ? 'dueDate' : 'startDate', reason: 'dueDate must not be before startDate' }]);
      }
      const override = input.status === 'done' && m.status !== 'done' ? await this.checkGate(ctx, m, input.overrideReason) : null;
      // Naming the current owner again is no change, even one deactivated since (a client sending back what it read).
      if (input.ownerId !== undefined && input.ownerId !== (m.owner?.id ?? null)) m.owner = input.ownerId ? await activeOwner(ctx.tx, input.ownerId) : null;
      if (input.title !== undefined) m.title = input.title;
      if (input.description !== undefined) m.description = input.description;
      if (input.position !== undefined) m.position = input.position;
      if (input.workstream !== undefined) m.workstream = input.workstream;
      m.startDate = startDate;
      m.dueDate = dueDate;
      if (input.status !== undefined && input.status !== m.status) {
        m.status = input.status;
        m.completedAt = input.status === 'done' ? new Date() : null;
      }
      const changes = diffFields(before, snapshot(m), TRACKED);
      if (override) {
        changes.overrideReason = { before: null, after: override.reason };
        const titles = override.blockers.map((b) => `"${b.title}"`).join(', ');
        ctx.record({ entityType: 'milestone', entityId: m.id, action: 'overridden', summary: `marked "${m.title}" done over open checklist items ${titles}: ${override.reason}`, changes });
      } else if (Object.keys(changes).length) {
        ctx.record({ entityType: 'milestone', entityId: m.id, action: 'updated', summary: `updated "${m.title}": ${changedFieldWords(changes)}`, changes });
      }
      await ctx.tx.populate(m, ['owner']);
      return m;
    });
    return this.view(milestone.id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.changes.applyToChild(actor, Milestone, id, 'Milestone', 'write', async (ctx, m) => {
      ctx.record({ entityType: 'milestone', entityId: m.id, action: 'deleted', summary: `deleted milestone "${m.title}"`, changes: diffFields(snapshot(m), EMPTY_SNAPSHOT, TRACKED) });
      await keepDeleted(ctx.tx, m.id, actor.id);
      ctx.tx.remove(m);
    });
  }

  /** The program's deleted milestones that can still be restored, the latest first. */
  async listDeleted(actor: Actor, programIdOrKey: string): Promise<{ items: DeletedMilestoneView[] }> {
    const { program } = await this.access.requireProgram(actor, programIdOrKey, 'read');
    const rows = await this.em.find(DeletedMilestone, { program }, { populate: ['deletedBy'], orderBy: { deletedAt: QueryOrder.DESC, id: QueryOrder.ASC }, limit: DELETED_LISTED });
    return {
      items: rows.map((d) => ({ id: d.id, title: d.title, deletedAt: d.deletedAt.toISOString(), deletedBy: d.deletedBy ? { id: d.deletedBy.id, name: d.deletedBy.name } : null })),
    };
  }

  /**
   * Undoes a delete: the milestone comes back with its id, and with what went with it wherever
   * the other end is still there (see `putBack`); what could not come back is named.
   */
  async restore(actor: Actor, id: string): Promise<{ milestone: MilestoneView; leftOut: string[] }> {
    const leftOut = await this.changes.applyToChild(actor, DeletedMilestone, id, 'Deleted milestone', 'write', async (ctx, deleted) => {
      const left = await putBack(ctx.tx, deleted.id);
      const restored = await ctx.tx.findOneOrFail(Milestone, { id: deleted.id });
      ctx.record({ entityType: 'milestone', entityId: deleted.id, action: 'restored', summary: `restored milestone "${restored.title}"`, changes: diffFields(EMPTY_SNAPSHOT, snapshot(restored), TRACKED) });
      return left;
    });
    return { milestone: await this.view(id), leftOut };
  }

  /** Replaces the set of linked checklist items; each must be of the milestone's program. */
  async linkChecklistItems(actor: Actor, id: string, input: LinkChecklistItemsInput): Promise<MilestoneView> {
    const wanted = [...new Set(input.itemIds.map((i) => i.toLowerCase()))];
    const milestone = await this.changes.applyToChild(actor, Milestone, id, 'Milestone', 'write', async (ctx, m) => {
      const items = wanted.length ? await ctx.tx.find(ChecklistItem, { id: { $in: wanted }, program: m.program }) : [];
      const missing = wanted.find((itemId) => !items.some((i) => i.id === itemId));
      if (missing) throw notFound(`Checklist item ${missing} not found`);
      const links = await ctx.tx.find(MilestoneChecklistLink, { milestone: m });
      const before = links.map((l) => l.item.id).sort();
      // A done milestone cannot start waiting for something still open: its gate was passed.
      const open = m.status === 'done' ? milestoneBlockers(items.filter((i) => !before.includes(i.id))) : [];
      if (open.length) {
        const titles = open.map((i) => `"${i.title}"`).join(', ');
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `"${m.title}" is done, so it cannot wait for open checklist items (${titles}): reopen it first, or close them` });
      }
      for (const link of links) if (!wanted.includes(link.item.id)) ctx.tx.remove(link);
      for (const item of items) if (!before.includes(item.id)) ctx.tx.create(MilestoneChecklistLink, { milestone: m, item });
      const after = [...wanted].sort();
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        ctx.record({
          entityType: 'milestone',
          entityId: m.id,
          action: 'updated',
          summary: `linked ${after.length} checklist item${after.length === 1 ? '' : 's'} to "${m.title}"`,
          changes: { checklistItemIds: { before, after } },
        });
      }
      await ctx.tx.populate(m, ['owner']);
      return m;
    });
    return this.view(milestone.id);
  }

  private async checkGate(ctx: ChangeContext, m: Milestone, reason: string | undefined): Promise<{ reason: string; blockers: ChecklistBlocker[] } | null> {
    const blockers = milestoneBlockers((await linkedItems(ctx.tx, [m.id])).get(m.id) ?? []).map(({ id, title, state, waveId }) => ({ id, title, state, waveId }));
    if (!blockers.length) return null;
    if (ctx.ability.manage && reason) return { reason, blockers };
    const count = `${blockers.length} linked checklist item${blockers.length === 1 ? ' is' : 's are'} still open`;
    const how = ctx.ability.manage ? 'give an overrideReason to mark it done anyway' : 'only the program owner can override';
    throw new ConflictException({ statusCode: 409, error: 'Conflict', message: `"${m.title}" cannot be done: ${count} (${how})`, blockers });
  }
}

/** The owner of a milestone must be someone who can still sign in. */
export async function activeOwner(em: EntityManager, id: string, field = 'ownerId'): Promise<User> {
  const owner = await em.findOne(User, { id, active: true });
  if (!owner) throw new ValidationFailed([{ field, reason: 'no active person has this id' }]);
  return owner;
}

export async function nextPosition(em: EntityManager, program: Program): Promise<number> {
  const [last] = await em.find(Milestone, { program }, { orderBy: { position: QueryOrder.DESC }, limit: 1, fields: ['position'] });
  return last ? last.position + 1 : 0;
}
