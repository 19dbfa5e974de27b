import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { completion, goLiveBlockers, type ChecklistState, type Completion, type WaveStatus } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { byPosition } from './rollout.query';
import { ChecklistItem, ChecklistTemplateItem, Wave } from './rollout.entity';

export interface GridCell {
  itemId: string;
  state: ChecklistState;
  reason: string | null;
  /** the item's own flag: an item may be required on one wave and not on another (the row says the template's) */
  required: boolean;
  /** with state, required and the wave's status: whether the item is overdue (`isOverdueChecklistItem`) */
  dueDate: string | null;
}

export interface RolloutGridView {
  waves: { id: string; name: string; scope: string[]; status: WaveStatus; plannedGoLive: string | null; completion: Completion; blockers: number }[];
  /** the template's items first, then each item added to a single wave as a row of its own */
  rows: { templateItemId: string | null; title: string; required: boolean; cells: Record<string, GridCell | null> }[];
}

/** Waves × checklist items for the rollout grid: one query per table, whatever the number of waves. */
@Injectable()
export class RolloutGridService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService) {}

  async grid(actor: Actor, idOrKey: string): Promise<RolloutGridView> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'read');
    const [waves, template, items] = await Promise.all([
      this.em.find(Wave, { program }, { orderBy: byPosition() }),
      // an item removed from the template has no row: its copies show as their waves' own rows
      this.em.find(ChecklistTemplateItem, { program, removedAt: null }, { orderBy: byPosition() }),
      this.em.find(ChecklistItem, { program }, { orderBy: byPosition() }),
    ]);
    const emptyCells = () => Object.fromEntries(waves.map((w) => [w.id, null])) as Record<string, GridCell | null>;
    const cell = (item: ChecklistItem): GridCell => ({ itemId: item.id, state: item.state, reason: item.reason, required: item.required, dueDate: item.dueDate });

    const templateRows = new Map(template.map((t) => [t.id, { templateItemId: t.id, title: t.title, required: t.required, cells: emptyCells() }]));
    const waveRows: RolloutGridView['rows'] = [];
    const byWave = new Map<string, ChecklistItem[]>();
    for (const item of items) {
      byWave.set(item.wave.id, [...(byWave.get(item.wave.id) ?? []), item]);
      const row = item.templateItem ? templateRows.get(item.templateItem.id) : undefined;
      // The first copy wins should a wave hold two items from one template item (it never makes them).
      if (row) row.cells[item.wave.id] ??= cell(item);
      else waveRows.push({ templateItemId: null, title: item.title, required: item.required, cells: { ...emptyCells(), [item.wave.id]: cell(item) } });
    }
    const waveOrder = new Map(waves.map((w, i) => [w.id, i]));
    waveRows.sort((a, b) => waveOrder.get(waveOf(a))! - waveOrder.get(waveOf(b))!);
    return {
      waves: waves.map((w) => {
        const own = byWave.get(w.id) ?? [];
        return { id: w.id, name: w.name, scope: w.scope, status: w.status, plannedGoLive: w.plannedGoLive, completion: completion(own), blockers: goLiveBlockers(own).length };
      }),
      rows: [...templateRows.values(), ...waveRows],
    };
  }
}

const waveOf = (row: { cells: Record<string, GridCell | null> }): string => Object.entries(row.cells).find(([, c]) => c)![0];
