import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { isClosed, todayUtc, type ChecklistState } from '@tandem/domain';
import { MilestoneChecklistLink } from '../rollouts/rollout.entity';
import { SignalsService } from '../signals/signals.service';
import type { Milestone } from './milestone.entity';
import { milestoneView, type ChecklistBlocker, type MilestoneView } from './milestone.view';

/**
 * Turns milestones into views with what they are measured against — the latest baseline and the
 * linked checklist items — in two queries for any number of milestones. Runs outside transactions
 * (SignalsService reads on its own connection).
 */
@Injectable()
export class MilestoneReader {
  constructor(private readonly em: EntityManager, private readonly signals: SignalsService) {}

  async views(milestones: readonly Milestone[], today = todayUtc()): Promise<MilestoneView[]> {
    if (!milestones.length) return [];
    const programIds = [...new Set(milestones.map((m) => m.program.id))];
    const [baselines, links] = await Promise.all([
      this.signals.latestBaselineDates(programIds),
      linkedItems(this.em, milestones.map((m) => m.id)),
    ]);
    return milestones.map((m) => {
      const items = links.get(m.id) ?? [];
      return milestoneView(m, {
        baseline: baselines.get(m.id) ?? null,
        links: items,
        open: items.filter((i) => !isClosed(i.state)).length,
        today,
      });
    });
  }

  async view(milestone: Milestone): Promise<MilestoneView> {
    const [view] = await this.views([milestone]);
    return view!;
  }
}

export interface LinkedItem extends ChecklistBlocker {
  required: boolean;
  state: ChecklistState;
}

/** The checklist items linked to each milestone, on whichever entity manager (or transaction) is given. */
export async function linkedItems(em: EntityManager, milestoneIds: readonly string[]): Promise<Map<string, LinkedItem[]>> {
  const out = new Map<string, LinkedItem[]>();
  if (!milestoneIds.length) return out;
  const links = await em.find(
    MilestoneChecklistLink,
    { milestone: { $in: [...milestoneIds] } },
    { populate: ['item'], orderBy: { item: { position: 'asc', id: 'asc' } } },
  );
  for (const link of links) {
    const list = out.get(link.milestone.id) ?? [];
    out.set(link.milestone.id, list);
    const item = link.item;
    list.push({ id: item.id, title: item.title, state: item.state, waveId: item.wave.id, required: item.required });
  }
  return out;
}
