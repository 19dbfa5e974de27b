import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { checklistClosedReason, type ChecklistListChange, type CreateChecklistItemInput, type Page, type PageQuery, type UpdateChecklistItemInput } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { changedFieldWords, diffFields } from '../activity/changes';
import { ProgramChanges, type ActivityEntry } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { toPage } from '../common/pagination';
import { ValidationFailed } from '../common/validation';
import { User } from '../users/user.entity';
import { afterPosition, byPosition, positionCursor, resolveOwners } from './rollout.query';
import { ChecklistItem, MilestoneChecklistLink, Wave } from './rollout.entity';
import { checklistItemView, type ChecklistItemView } from './rollout.view';

const TRACKED = ['title', 'ownerTeam', 'ownerUser', 'required', 'dueDate', 'position', 'state', 'reason'] as const;
const NEEDS_REASON = new Set(['not_applicable', 'blocked']);

/**
 * 409 when the wave is live: its checklist is the record of what gated its go-live. Called inside
 * the program's change transaction with the wave read there, so a wave that went live while the
 * change waited for the program's lock is seen live.
 */
export function refuseIfChecklistClosed(wave: Wave, change: ChecklistListChange): void {
  const reason = checklistClosedReason(wave, change);
  if (reason) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: reason });
}

const quoted = (titles: readonly string[]) => titles.map((t) => `"${t}"`).join(', ');

/**
 * 409 when milestones wait for any of these items (their go-live gate): deleting the items would
 * take the links with them (the database cascades) and quietly let those milestones be marked
 * done without them. The caller unlinks them from the milestones first; the answer names them.
 * Read inside the program's change transaction, as links are made under the same lock.
 */
export async function refuseIfGatingMilestones(tx: EntityManager, where: FilterQuery<MilestoneChecklistLink>, refused: string): Promise<void> {
  const links = await tx.find(MilestoneChecklistLink, where, { populate: ['milestone', 'item'], orderBy: { milestone: { position: 'asc', title: 'asc' }, item: { position: 'asc' } } });
  if (!links.length) return;
  const milestones = [...new Map(links.map((l) => [l.milestone.id, { id: l.milestone.id, title: l.milestone.title }])).values()];
  const gating = [...new Set(links.map((l) => l.item.title))];
  const one = milestones.length === 1;
  throw new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: `${refused}: the milestone${one ? '' : 's'} ${quoted(milestones.map((m) => m.title))} ${one ? 'waits' : 'wait'} for ${quoted(gating)} to be closed. Unlink ${gating.length === 1 ? 'it' : 'them'} from ${one ? 'that milestone' : 'those milestones'} first.`,
    milestones,
  });
}

/**
 * A wave's checklist: items copied from the template plus any added to this wave alone. Nothing
 * is added to or removed from a live wave's (`refuseIfChecklistClosed`); its items may still be
 * changed and ticked.
 */
@Injectable()
export class ChecklistService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly changes: ProgramChanges) {}

  async list(actor: Actor, waveId: string, query: PageQuery): Promise<Page<ChecklistItemView>> {
    await this.access.requireChild(actor, Wave, waveId, 'Wave', 'read');
    const rows = await this.em.find(
      ChecklistItem,
      { wave: waveId, ...afterPosition(query.cursor) },
      { populate: ['ownerTeam', 'ownerUser', 'changedBy'], orderBy: byPosition(), limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, positionCursor, checklistItemView);
  }

  /** One item, for what points at it from elsewhere (a retro card turned into it); 404 once it is removed. */
  async get(actor: Actor, itemId: string): Promise<ChecklistItemView> {
    await this.access.requireChild(actor, ChecklistItem, itemId, 'Checklist item', 'read');
    const item = await this.em.findOne(ChecklistItem, { id: itemId }, { populate: ['ownerTeam', 'ownerUser', 'changedBy'] });
    // removed in between
    if (!item) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Checklist item not found' });
    return checklistItemView(item);
  }

  async create(actor: Actor, waveId: string, input: CreateChecklistItemInput): Promise<ChecklistItemView> {
    return this.changes.applyToChild(actor, Wave, waveId, 'Wave', 'write', async ({ program, tx, record }, wave) => {
      refuseIfChecklistClosed(wave, 'add');
      const owners = await resolveOwners(tx, input);
      const [last] = await tx.find(ChecklistItem, { wave }, { fields: ['position'], orderBy: { position: 'desc' }, limit: 1 });
      const item = tx.create(ChecklistItem, {
        wave,
        program,
        title: input.title,
        ...owners,
        required: input.required,
        dueDate: input.dueDate ?? null,
        position: input.position ?? (last ? last.position + 1 : 0),
      });
      record({ entityType: 'checklist_item', entityId: item.id, action: 'created', summary: `added "${item.title}" to the checklist of "${wave.name}"` });
      return checklistItemView(item);
    });
  }

  /** See `applyItemChanges`. */
  async update(actor: Actor, itemId: string, input: UpdateChecklistItemInput): Promise<ChecklistItemView> {
    return this.changes.applyToChild(actor, ChecklistItem, itemId, 'Checklist item', 'write', async ({ tx, record }, item) => {
      await tx.populate(item, ['ownerTeam', 'ownerUser', 'changedBy', 'wave']);
      const entry = await applyItemChanges(tx, item, input, actor);
      if (entry) record(entry);
      return checklistItemView(item);
    });
  }

  async remove(actor: Actor, itemId: string): Promise<void> {
    await this.changes.applyToChild(actor, ChecklistItem, itemId, 'Checklist item', 'write', async ({ tx, record }, item) => {
      await tx.populate(item, ['wave']);
      refuseIfChecklistClosed(item.wave, 'remove');
      await refuseIfGatingMilestones(tx, { item }, `"${item.title}" cannot be removed from the checklist of "${item.wave.name}"`);
      tx.remove(item);
      record({
        entityType: 'checklist_item',
        entityId: item.id,
        action: 'deleted',
        summary: `removed "${item.title}" from the checklist of "${item.wave.name}"`,
        changes: { title: { before: item.title, after: null } },
      });
    });
  }
}

/**
 * Applies a change to a loaded item (owners, wave and changedBy populated) and returns the activity
 * entry, or null when nothing changed. A state change records who and when. Not applicable and
 * blocked need a reason (whatever the request leaves unchanged); going back to todo or done drops
 * the old reason unless a new one is given. The import applies its rows the same way.
 */
export async function applyItemChanges(tx: EntityManager, item: ChecklistItem, input: UpdateChecklistItemInput, actor: Actor): Promise<ActivityEntry | null> {
  const before = { ...item };
  Object.assign(item, await resolveOwners(tx, input, item));
  if (input.title !== undefined) item.title = input.title;
  if (input.required !== undefined) item.required = input.required;
  if (input.dueDate !== undefined) item.dueDate = input.dueDate;
  if (input.position !== undefined) item.position = input.position;
  const stateChanged = input.state !== undefined && input.state !== item.state;
  if (input.reason !== undefined) item.reason = input.reason;
  else if (stateChanged) item.reason = null;
  if (input.state !== undefined) item.state = input.state;
  if (NEEDS_REASON.has(item.state) && !item.reason) {
    throw new ValidationFailed([{ field: 'reason', reason: `is required while the state is ${item.state}` }]);
  }
  if (stateChanged) {
    item.changedBy = await tx.findOneOrFail(User, { id: actor.id });
    item.changedAt = new Date();
  }
  const changes = diffFields(before, { ...item }, TRACKED);
  if (!Object.keys(changes).length) return null;
  const what = stateChanged ? `marked "${item.title}" ${item.state.replace('_', ' ')}` : `changed ${changedFieldWords(changes)} of "${item.title}"`;
  return { entityType: 'checklist_item', entityId: item.id, action: 'updated', summary: `${what} (${item.wave.name})`, changes };
}
