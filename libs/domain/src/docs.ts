import { z } from 'zod';
import { oneLine } from './schemas.js';

export const DOC_KINDS = ['plan', 'retro'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export const createDocSchema = z.strictObject({ kind: z.enum(DOC_KINDS), title: oneLine(200) });
export type CreateDocInput = z.output<typeof createDocSchema>;

export const updateDocSchema = z.strictObject({ title: oneLine(200) });
export type UpdateDocInput = z.output<typeof updateDocSchema>;

export const createVersionSchema = z.strictObject({ name: oneLine(120) });
export type CreateVersionInput = z.output<typeof createVersionSchema>;

export const convertActionItemSchema = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('milestone'), dueDate: z.iso.date('must be a date as YYYY-MM-DD').optional() }),
  z.strictObject({ to: z.literal('checklist_item'), waveId: z.uuid('must be a UUID') }),
]);
export type ConvertActionItemInput = z.output<typeof convertActionItemSchema>;
