import { z } from 'zod';

/**
 * Response views: what the api answers, described once so OpenAPI (and the typed client generated
 * from it) says the same as the code. These schemas only describe; nothing parses responses with
 * them. Each main shape is registered under a name that becomes `#/components/schemas/<name>`.
 */
export interface ViewMeta {
  /** the component name in OpenAPI; left out for shapes that stay inline */
  id?: string;
  description?: string;
}

export const viewRegistry = z.registry<ViewMeta>();

/** Registers a named view: one OpenAPI component, one alias in `@tandem/api-client`. */
export function named<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  viewRegistry.add(schema as z.ZodType, description ? { id, description } : { id });
  return schema;
}

/** Attaches a description (an OpenAPI `description`) without naming the shape. */
export function described<S extends z.ZodType>(description: string, schema: S): S {
  // A copy, so shared pieces (`id`, `timestamp`) do not carry one field's description everywhere.
  if (viewRegistry.get(schema)?.id) throw new Error(`describe where ${viewRegistry.get(schema)?.id} is defined, not where it is used`);
  const copy = schema.clone() as S;
  viewRegistry.add(copy as z.ZodType, { description });
  return copy;
}

export const id = z.uuid();
/** An instant, as `Date.toISOString()` writes it. */
export const timestamp = z.iso.datetime();
/** A calendar date, YYYY-MM-DD. */
export const date = z.iso.date();

/** One page of a cursor-paginated list. */
export const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({
    items: z.array(item),
    nextCursor: described('pass as `cursor` to get the next page; null on the last page', z.string().nullable()),
  });

/** A short list that is never paginated beyond one page. */
export const onePageOf = <S extends z.ZodType>(item: S) => z.object({ items: z.array(item), nextCursor: z.null() });

/** A person or a team by id and name: what planning views show (no email). */
export const namedRef = named('NamedRef', z.object({ id, name: z.string() }), 'A person or a team by id and name');

/** One bad field of a request, as a 400 (or an import row) names it. */
export const fieldErrorView = named('FieldError', z.object({ field: z.string(), reason: z.string() }), 'One bad field and why');
