import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { getCard, initRetro, linkCard, readCard, type CardLink, type RetroCard } from '@tandem/collab-protocol';
import { createChecklistItemSchema, createMilestoneSchema, parseWith, type ConvertActionItemInput } from '@tandem/domain';
import type { z } from 'zod';
import * as Y from 'yjs';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { ValidationFailed } from '../common/validation';
import { MilestonesService } from '../milestones/milestones.service';
import { Milestone } from '../milestones/milestone.entity';
import type { MilestoneView } from '../milestones/milestone.view';
import { ChecklistService } from '../rollouts/checklist.service';
import { ChecklistItem, Wave } from '../rollouts/rollout.entity';
import type { ChecklistItemView } from '../rollouts/rollout.view';
import { archivedMessage, Doc } from './doc.entity';
import { DocContent } from './doc-content.service';
import { linkText } from './retro-export';

export interface ConvertResult {
  card: RetroCard;
  link: CardLink;
  milestone?: MilestoneView;
  checklistItem?: ChecklistItemView;
}

const cardNotFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Card not found' });

/** The first `max` characters, never splitting a character made of two UTF-16 units. */
const clip = (text: string, max: number): string => {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
};

/** The planning input made from a card; what the card cannot provide is a 400 naming the card. */
function planningInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = parseWith(schema, value);
  if (result.ok) return result.value;
  throw new ValidationFailed(result.errors.map((e) => (e.field === 'dueDate' ? e : { field: 'card', reason: `its text ${e.reason}` })));
}

/**
 * The retro board's server side: setting up a new board, and turning an action item into a
 * milestone or a checklist item through the planning services (their rules, activity and live
 * events), after which the card keeps a link to what it became.
 */
@Injectable()
export class RetroService {
  private readonly logger = new Logger('Retro');
  /** one conversion at a time per card on this node, so a double click does not plan twice */
  private readonly converting = new Map<string, Promise<unknown>>();

  constructor(
    private readonly em: EntityManager,
    private readonly access: AccessService,
    private readonly content: DocContent,
    private readonly milestones: MilestonesService,
    private readonly checklist: ChecklistService,
  ) {}

  /** The three default columns, as a server edit; a board a client already set up is left alone. */
  async initBoard(docId: string): Promise<void> {
    await this.content.edit(docId, (doc) => void initRetro(doc));
  }

  async convert(actor: Actor, docId: string, cardId: string, input: ConvertActionItemInput): Promise<ConvertResult> {
    const key = `${docId}:${cardId}`;
    while (this.converting.has(key)) await this.converting.get(key)?.catch(() => undefined);
    const running = this.convertOnce(actor, docId, cardId, input);
    this.converting.set(key, running);
    try {
      return await running;
    } finally {
      this.converting.delete(key);
    }
  }

  private async convertOnce(actor: Actor, docId: string, cardId: string, input: ConvertActionItemInput): Promise<ConvertResult> {
    const { program } = await this.access.requireChild(actor, Doc, docId, 'Document', 'write');
    const doc = await this.em.findOneOrFail(Doc, { id: docId });
    if (doc.kind !== 'retro') throw cardNotFound();
    if (doc.archivedAt || program.archivedAt) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: archivedMessage(doc, program) });
    const card = cardId.length <= 200 ? await this.storedCard(docId, cardId) : null;
    if (!card) throw cardNotFound();
    if (card.link) {
      // What the card was turned into may have been deleted since: then it can be turned into something again.
      const title = await this.linkedTitle(card.link, program.id);
      if (title !== null) {
        const message = `This card is already linked to ${linkText(card.link, new Map([[card.link.id, title]]))}`;
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message, link: card.link });
      }
    }

    // The planning change commits on its own; only then does the card get its link.
    const text = card.text.trim() || 'Action item from the retro';
    // A title is one line: the card's line breaks (and any control character) become spaces.
    const title = clip(text.replace(/[\s\u0001-\u001F\u007F-\u009F]+/g, ' '), 200);
    let result: Omit<ConvertResult, 'card'>;
    if (input.to === 'milestone') {
      const description = title === text ? '' : clip(text, 20_000);
      const milestone = await this.milestones.create(actor, program.id, planningInput(createMilestoneSchema, { title, description, dueDate: input.dueDate }));
      result = { link: { type: 'milestone', id: milestone.id }, milestone };
    } else {
      const wave = await this.em.findOne(Wave, { id: input.waveId, program: program.id }, { fields: ['id'] });
      if (!wave) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Wave not found' });
      const checklistItem = await this.checklist.create(actor, wave.id, planningInput(createChecklistItemSchema, { title }));
      result = { link: { type: 'checklist_item', id: checklistItem.id }, checklistItem };
    }
    const linked: { card: RetroCard | null } = { card: null };
    await this.content.edit(docId, (ydoc) => {
      const map = linkCard(ydoc, cardId, result.link) ? getCard(ydoc, cardId) : null;
      linked.card = map ? readCard(map, cardId) : null;
    });
    // The card was deleted while the plan was being changed: the milestone or item stays.
    if (!linked.card) this.logger.warn(`card ${cardId} of ${docId} disappeared before it could be linked to ${result.link.type} ${result.link.id}`);
    return { card: linked.card ?? { ...card, actionItem: true, link: result.link }, ...result };
  }

  private async storedCard(docId: string, cardId: string): Promise<RetroCard | null> {
    const ydoc = new Y.Doc();
    try {
      Y.applyUpdate(ydoc, await this.content.storedState(docId));
      const map = getCard(ydoc, cardId);
      return map ? readCard(map, cardId) : null;
    } finally {
      ydoc.destroy();
    }
  }

  /** The title of the milestone or checklist item a card links to, while it exists in this program. */
  private async linkedTitle(link: CardLink, programId: string): Promise<string | null> {
    if (!/^[0-9a-f-]{36}$/i.test(link.id)) return null;
    const where = { id: link.id, program: programId };
    const row = link.type === 'milestone' ? await this.em.findOne(Milestone, where, { fields: ['title'] }) : await this.em.findOne(ChecklistItem, where, { fields: ['title'] });
    return row?.title ?? null;
  }
}
