/**
 * The status update form's client-side check: the same schema the api validates with. Its own
 * module so the form can load it (and zod with it) on first use rather than with the page.
 */
import { createStatusUpdateSchema, parseWith } from '@tandem/domain';

export const checkUpdate = (input: unknown) => parseWith(createStatusUpdateSchema, input);
