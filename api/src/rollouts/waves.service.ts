import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { addDays, daysBetween, goLiveBlockers, waveStatusRefusal, type CreateWaveInput, type Page, type PageQuery, type UpdateWaveInput } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import type { FieldChanges } from '../activity/activity.entity';
import { changedFieldWords, diffFields } from '../activity/changes';
import { ProgramChanges, type ChangeContext } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { toPage } from '../common/pagination';
import { refuseIfChecklistClosed, refuseIfGatingMilestones } from './checklist.service';
import { afterPosition, byPosition, positionCursor } from './rollout.query';
import { ChecklistItem, ChecklistTemplateItem, Wave } from './rollout.entity';
import { blockerView, waveView, type BlockerView, type WaveView } from './rollout.view';

const TRACKED = ['name', 'scope', 'plannedGoLive', 'status', 'position', 'wentLiveAt'] as const;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Rollout waves: created from the program's checklist template, gated on their checklist to go live. */
@Injectable()
export class WavesService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly changes: ProgramChanges) {}

  /** A page of waves and, in one more query, the checklist states behind their completion. */
  async list(actor: Actor, idOrKey: string, query: PageQuery): Promise<Page<WaveView>> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'read');
    const waves = await this.em.find(Wave, { program, ...afterPosition(query.cursor) }, { orderBy: byPosition(), limit: query.limit + 1 });
    const items = waves.length
      ? await this.em.find(ChecklistItem, { wave: { $in: waves.map((w) => w.id) } })
      : [];
    const byWave = new Map<string, ChecklistItem[]>();
    for (const item of items) byWave.set(item.wave.id, [...(byWave.get(item.wave.id) ?? []), item]);
    return toPage(waves, query.limit, positionCursor, (w) => waveView(w, byWave.get(w.id) ?? []));
  }

  async get(actor: Actor, waveId: string): Promise<WaveView> {
    await this.access.requireChild(actor, Wave, waveId, 'Wave', 'read');
    const wave = await this.em.findOneOrFail(Wave, { id: waveId });
    return waveView(wave, await this.em.find(ChecklistItem, { wave }));
  }

  /** The template becomes the wave's checklist in the same transaction; due dates follow go-live. */
  async create(actor: Actor, idOrKey: string, input: CreateWaveInput): Promise<WaveView> {
    return this.changes.apply(actor, idOrKey, 'write', async ({ program, tx, record }) => {
      const [last] = await tx.find(Wave, { program }, { fields: ['position'], orderBy: { position: 'desc' }, limit: 1 });
      const wave = tx.create(Wave, {
        program,
        name: input.name,
        scope: input.scope,
        plannedGoLive: input.plannedGoLive ?? null,
        position: input.position ?? (last ? last.position + 1 : 0),
      });
      const template = await tx.find(ChecklistTemplateItem, { program, removedAt: null }, { orderBy: byPosition() });
      const items = template.map((t, index) =>
        tx.create(ChecklistItem, {
          wave,
          program,
          templateItem: t,
          title: t.title,
          ownerTeam: t.ownerTeam,
          ownerUser: t.ownerUser,
          required: t.required,
          dueDate: wave.plannedGoLive ? addDays(wave.plannedGoLive, t.dueOffsetDays) : null,
          position: index,
        }),
      );
      record({ entityType: 'wave', entityId: wave.id, action: 'created', summary: `created the wave "${wave.name}" with ${plural(items.length, 'checklist item', 'checklist items')}` });
      return waveView(wave, items);
    });
  }

  /**
   * Going live is gated: required items still open → 409 listing them, unless someone who may
   * manage the program overrides with a reason, which the activity log keeps with the blockers.
   */
  async update(actor: Actor, waveId: string, input: UpdateWaveInput): Promise<WaveView> {
    return this.changes.applyToChild(actor, Wave, waveId, 'Wave', 'write', async (ctx, wave) => {
      const refusal = input.status === undefined ? null : waveStatusRefusal(wave, input.status);
      if (refusal) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: refusal });
      const items = await ctx.tx.find(ChecklistItem, { wave }, { populate: ['ownerTeam', 'ownerUser', 'templateItem'], orderBy: byPosition() });
      const goingLive = input.status === 'live' && wave.status !== 'live';
      const override = goingLive ? this.gate(ctx, wave, items, input.overrideReason) : null;
      const before = { ...wave };
      if (input.name !== undefined) wave.name = input.name;
      if (input.scope !== undefined) wave.scope = input.scope;
      const moved = input.plannedGoLive !== undefined ? moveDueDates(items, wave.plannedGoLive, input.plannedGoLive) : 0;
      if (input.plannedGoLive !== undefined) wave.plannedGoLive = input.plannedGoLive;
      if (input.position !== undefined) wave.position = input.position;
      if (input.status !== undefined) wave.status = input.status;
      if (goingLive) wave.wentLiveAt = new Date();
      const changes: FieldChanges = diffFields(before, { ...wave }, TRACKED);
      if (override) {
        changes.overrideReason = { before: null, after: override.reason };
        changes.blockers = { before: override.blockers, after: null };
        const summary = `took "${wave.name}" live over ${plural(override.blockers.length, 'open required item', 'open required items')}: ${override.reason}`;
        ctx.record({ entityType: 'wave', entityId: wave.id, action: 'overridden', summary, changes });
      } else if (goingLive) {
        ctx.record({ entityType: 'wave', entityId: wave.id, action: 'went_live', summary: `took "${wave.name}" live`, changes });
      } else if (Object.keys(changes).length) {
        const alsoMoved = moved ? ` and moved ${plural(moved, 'checklist due date', 'checklist due dates')} with it` : '';
        ctx.record({ entityType: 'wave', entityId: wave.id, action: 'updated', summary: `changed ${changedFieldWords(changes)} of the wave "${wave.name}"${alsoMoved}`, changes });
      }
      // Flushed here, so the answer carries the updatedAt the change was stored with.
      await ctx.tx.flush();
      return waveView(wave, items);
    });
  }

  /** Its checklist goes with it (the database cascades), unless milestones wait for its items. */
  async remove(actor: Actor, waveId: string): Promise<void> {
    await this.changes.applyToChild(actor, Wave, waveId, 'Wave', 'write', async ({ tx, record }, wave) => {
      refuseIfChecklistClosed(wave, 'delete_wave');
      await refuseIfGatingMilestones(tx, { item: { wave } }, `The wave "${wave.name}" cannot be deleted with its checklist`);
      tx.remove(wave);
      record({ entityType: 'wave', entityId: wave.id, action: 'deleted', summary: `deleted the wave "${wave.name}"`, changes: { name: { before: wave.name, after: null } } });
    });
  }

  /** Null when nothing blocks; the override to record when the owner goes live anyway; else throws. */
  private gate(ctx: ChangeContext, wave: Wave, items: ChecklistItem[], overrideReason: string | undefined): { reason: string; blockers: BlockerView[] } | null {
    const blockers = goLiveBlockers(items).map(blockerView);
    if (!blockers.length) return null;
    if (!overrideReason) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `${wave.name} cannot go live: ${plural(blockers.length, 'required item is', 'required items are')} open`,
        blockers,
      });
    }
    if (!ctx.ability.manage) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `Only the owners of ${ctx.program.key} can take a wave live over open required items`,
      });
    }
    return { reason: overrideReason, blockers };
  }
}

/**
 * A checklist's due dates are counted from go-live, so they follow it: moving the date moves
 * every dated item by as many days (an item dated by hand keeps its own distance), and a wave
 * dated for the first time gives its undated template items the template's offsets. Clearing the
 * date leaves them. Returns how many items moved.
 */
function moveDueDates(items: readonly ChecklistItem[], from: string | null, to: string | null): number {
  if (to === null || from === to) return 0;
  let moved = 0;
  for (const item of items) {
    const due = from === null
      ? (item.dueDate === null && item.templateItem ? addDays(to, item.templateItem.dueOffsetDays) : item.dueDate)
      : (item.dueDate === null ? null : addDays(item.dueDate, daysBetween(from, to)));
    if (due !== item.dueDate) {
      item.dueDate = due;
      moved++;
    }
  }
  return moved;
}
