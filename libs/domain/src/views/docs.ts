import { z } from 'zod';
import { DOC_KINDS } from '../docs.js';
import { checklistItemView, milestoneView } from './planning.js';
import { described, id, named, namedRef, timestamp } from './registry.js';

export const docView = named(
  'Doc',
  z.object({
    id,
    programId: id,
    kind: z.enum(DOC_KINDS),
    title: z.string(),
    createdBy: namedRef,
    createdAt: timestamp,
    updatedAt: timestamp,
    lastEditedAt: timestamp.nullable(),
    archivedAt: timestamp.nullable(),
  }),
  'A plan or a retro; its content is edited live over /collab',
);

export const DOC_VERSION_KINDS = ['manual', 'auto', 'restore'] as const;

export const docVersionView = named(
  'DocVersion',
  z.object({ id, name: z.string(), kind: z.enum(DOC_VERSION_KINDS), createdBy: namedRef.nullable(), createdAt: timestamp }),
  'A saved version of a document, without its content',
);
export const docVersionPreviewView = named('DocVersionPreview', z.object({ version: docVersionView, markdown: z.string(), html: z.string() }));
export const docVersionRestoreView = named(
  'DocVersionRestore',
  // undo: the state just before the restore; restoring it undoes the restore
  z.object({ restored: docVersionView, undo: docVersionView }),
);

const cardLink = z.object({ type: z.enum(['milestone', 'checklist_item']), id });

export const retroCardView = named(
  'RetroCard',
  z.object({
    id: z.string(),
    columnId: z.string(),
    text: z.string(),
    authorId: z.string(),
    votes: described('ids of the people who voted, sorted', z.array(z.string())),
    createdAt: described('milliseconds since the epoch', z.number()),
    groupId: z.string().nullable(),
    actionItem: z.boolean(),
    link: cardLink.nullable(),
  }),
  'A card on a retro board',
);

export const cardConversionView = named(
  'CardConversion',
  z.object({ card: retroCardView, link: cardLink, milestone: milestoneView.optional(), checklistItem: checklistItemView.optional() }),
  'A retro card turned into a milestone or a checklist item',
);
