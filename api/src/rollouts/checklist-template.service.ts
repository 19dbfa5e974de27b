import { Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Page, PageQuery, TemplateItemInput, UpdateTemplateItemInput } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { changedFieldWords, diffFields } from '../activity/changes';
import { ProgramChanges } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { toPage } from '../common/pagination';
import { afterPosition, byPosition, positionCursor, resolveOwners } from './rollout.query';
import { ChecklistItem, ChecklistTemplateItem } from './rollout.entity';
import { templateItemView, type TemplateItemView } from './rollout.view';

const TRACKED = ['title', 'ownerTeam', 'ownerUser', 'required', 'dueOffsetDays', 'position'] as const;
const LABEL = 'Checklist template item';
const notFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: `${LABEL} not found` });

/**
 * The program's go-live checklist template. Waves copy it when they are created; changing it
 * later changes only the waves created after.
 */
@Injectable()
export class ChecklistTemplateService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly changes: ProgramChanges) {}

  async list(actor: Actor, idOrKey: string, query: PageQuery): Promise<Page<TemplateItemView>> {
    const { program } = await this.access.requireProgram(actor, idOrKey, 'read');
    const rows = await this.em.find(
      ChecklistTemplateItem,
      { program, removedAt: null, ...afterPosition(query.cursor) },
      { populate: ['ownerTeam', 'ownerUser'], orderBy: byPosition(), limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, positionCursor, templateItemView);
  }

  async create(actor: Actor, idOrKey: string, input: TemplateItemInput): Promise<TemplateItemView> {
    return this.changes.apply(actor, idOrKey, 'manage', async ({ program, tx, record }) => {
      const owners = await resolveOwners(tx, input);
      // removed items count: one restored later keeps a place of its own
      const [last] = await tx.find(ChecklistTemplateItem, { program }, { fields: ['position'], orderBy: { position: 'desc' }, limit: 1 });
      const item = tx.create(ChecklistTemplateItem, {
        program,
        title: input.title,
        ...owners,
        required: input.required,
        dueOffsetDays: input.dueOffsetDays,
        position: input.position ?? (last ? last.position + 1 : 0),
      });
      record({ entityType: 'checklist_template_item', entityId: item.id, action: 'created', summary: `added "${item.title}" to the checklist template` });
      return templateItemView(item);
    });
  }

  async update(actor: Actor, itemId: string, input: UpdateTemplateItemInput): Promise<TemplateItemView> {
    return this.changes.applyToChild(actor, ChecklistTemplateItem, itemId, LABEL, 'manage', async ({ tx, record }, item) => {
      if (item.removedAt) throw notFound();
      await tx.populate(item, ['ownerTeam', 'ownerUser']);
      const before = { ...item };
      Object.assign(item, await resolveOwners(tx, input, item));
      if (input.title !== undefined) item.title = input.title;
      if (input.required !== undefined) item.required = input.required;
      if (input.dueOffsetDays !== undefined) item.dueOffsetDays = input.dueOffsetDays;
      if (input.position !== undefined) item.position = input.position;
      const changes = diffFields(before, { ...item }, TRACKED);
      if (Object.keys(changes).length) {
        record({ entityType: 'checklist_template_item', entityId: item.id, action: 'updated', summary: `changed ${changedFieldWords(changes)} of the template item "${item.title}"`, changes });
      }
      return templateItemView(item);
    });
  }

  /**
   * Items already copied into waves stay, linked to it: the item is marked removed, not deleted,
   * so that `restore` can bring it back as it was. Removing it twice is 404, like a deleted one.
   */
  async remove(actor: Actor, itemId: string): Promise<void> {
    await this.changes.applyToChild(actor, ChecklistTemplateItem, itemId, LABEL, 'manage', async ({ tx, record }, item) => {
      if (item.removedAt) throw notFound();
      item.removedAt = new Date();
      await tx.populate(item, ['ownerTeam', 'ownerUser']);
      const copies = await tx.count(ChecklistItem, { templateItem: item });
      const kept = copies ? `; the ${copies === 1 ? 'copy' : `${copies} copies`} in existing waves stay` : '';
      record({ entityType: 'checklist_template_item', entityId: item.id, action: 'deleted', summary: `removed "${item.title}" from the checklist template${kept}`, changes: { title: { before: item.title, after: null } } });
    });
  }

  /**
   * The Undo of removing: the same item (id, owner, offset, position) is back in the template,
   * and the waves' copies of it are its row in the rollout grid again. Restoring an item that is
   * in the template changes nothing.
   */
  async restore(actor: Actor, itemId: string): Promise<TemplateItemView> {
    return this.changes.applyToChild(actor, ChecklistTemplateItem, itemId, LABEL, 'manage', async ({ tx, record }, item) => {
      await tx.populate(item, ['ownerTeam', 'ownerUser']);
      if (!item.removedAt) return templateItemView(item);
      item.removedAt = null;
      record({ entityType: 'checklist_template_item', entityId: item.id, action: 'restored', summary: `put "${item.title}" back in the checklist template`, changes: { title: { before: null, after: item.title } } });
      return templateItemView(item);
    });
  }
}
