import { ApiResponse, type SchemaObject } from '@nestjs/swagger';
import { viewRegistry } from '@tandem/domain';
import { z } from 'zod';

/**
 * Documents what a route answers, from the response views in `@tandem/domain` (the same way
 * `@ValidBody` documents what it accepts). Named views become `#/components/schemas/<name>`, which
 * the typed client in `libs/api-client` turns into named types.
 *
 * The decorators are typed against the handler: a handler whose answer does not fit the schema
 * does not compile, so the document cannot promise a field the code does not send.
 */

const COMPONENTS = '#/components/schemas/';

type Json = Record<string, unknown>;
type Answer<S extends z.ZodType> = z.output<S> | Promise<z.output<S>>;
type HandlerDecorator<S extends z.ZodType> = <H extends (...args: never[]) => Answer<S>>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<H>,
) => void;

const SAFE_INTEGER_BOUNDS = new Set([Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);

const conversion = {
  metadata: viewRegistry,
  target: 'openapi-3.0',
  io: 'output',
  unrepresentable: 'any',
  // The format says it; zod's long regexes and JavaScript's integer limits only add noise.
  override: ({ jsonSchema }: { jsonSchema: Json }) => {
    if (typeof jsonSchema.format === 'string') delete jsonSchema.pattern;
    for (const bound of ['minimum', 'maximum'] as const) {
      if (SAFE_INTEGER_BOUNDS.has(jsonSchema[bound] as number)) delete jsonSchema[bound];
    }
  },
} as const;

/** Points `#/definitions/<name>` (zod's) at the OpenAPI components of the same name. */
function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) =>
      key === '$ref' && typeof child === 'string' ? [key, child.replace('#/definitions/', COMPONENTS)] : [key, toComponentRefs(child)],
    ),
  );
}

/** One route's response schema; the named views it uses are referenced, never copied. */
export function responseSchema(schema: z.ZodType): SchemaObject {
  const { definitions = {}, ...rest } = z.toJSONSchema(schema, conversion) as Json & { definitions?: Json };
  for (const name of Object.keys(definitions)) {
    // zod also extracts shapes that recur or cycle; those would be refs to nothing
    if (!viewRegistry._idmap.has(name)) throw new Error(`response schema needs a definition that is not a named view: ${name}`);
  }
  return toComponentRefs(rest) as SchemaObject;
}

/** Every named view, for `components.schemas` of the OpenAPI document. */
export function viewComponentSchemas(): Record<string, SchemaObject> {
  const { schemas } = z.toJSONSchema(viewRegistry, { ...conversion, uri: (id) => `${COMPONENTS}${id}` }) as { schemas: Record<string, Json> };
  return Object.fromEntries(Object.entries(schemas).map(([name, { $id: _id, ...schema }]) => [name, schema as SchemaObject]));
}

function jsonResponse<S extends z.ZodType>(status: 200 | 201, schema: S, description?: string): HandlerDecorator<S> {
  return (target, key, descriptor) => {
    const name = viewRegistry.get(schema)?.id;
    ApiResponse({ status, description: description ?? name ?? '', schema: responseSchema(schema) })(target, key as string, descriptor);
  };
}

/** `@ApiOkJson(view)`: the route answers 200 with this JSON. */
export const ApiOkJson = <S extends z.ZodType>(schema: S, description?: string): HandlerDecorator<S> => jsonResponse(200, schema, description);

/** `@ApiCreatedJson(view)`: the route answers 201 with this JSON (a POST without `@HttpCode`). */
export const ApiCreatedJson = <S extends z.ZodType>(schema: S, description?: string): HandlerDecorator<S> => jsonResponse(201, schema, description);

/** `@ApiOkText(type)`: the route answers 200 with a text body of this media type (CSV, Markdown, HTML…). */
export const ApiOkText =
  (type: string) =>
  <H extends (...args: never[]) => string | Promise<string>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
    ApiResponse({ status: 200, description: type, content: { [type]: { schema: { type: 'string' } } } })(target, key as string, descriptor);
  };
