import { BadRequestException, createParamDecorator, Query, UnsupportedMediaTypeException, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import type { Request } from 'express';
import { parseWith, type FieldError } from '@tandem/domain';
import { z } from 'zod';

export class ValidationFailed extends BadRequestException {
  constructor(errors: FieldError[]) {
    super({ statusCode: 400, error: 'Bad Request', message: 'Invalid request', errors });
  }
}

/** Validates with a schema from libs/domain; a failure is a 400 naming every bad field. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}
  transform(value: unknown): z.output<S> {
    const result = parseWith(this.schema, value ?? {});
    if (!result.ok) throw new ValidationFailed(result.errors);
    return result.value;
  }
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, Record<string, unknown>>; required?: string[] };

function jsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

function describeMethod(target: object, key: string | symbol | undefined): PropertyDescriptor {
  const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor) throw new Error('validated parameters are only supported on methods');
  return descriptor;
}

/** The one media type the app parses bodies of (bootstrap.ts); CSV imports read theirs themselves. */
export const JSON_BODY_TYPE = 'application/json';

/**
 * A body the JSON parser did not read (another Content-Type, or none) would reach the schema as
 * no body at all, and the caller would be told about missing fields instead of the real mistake.
 * A request without a body (Content-Length 0 or absent) is left alone: some bodies are optional.
 */
export function assertJsonBody(req: Request): void {
  const length = req.headers['content-length'];
  const carriesBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
  if (!carriesBody || req.is(JSON_BODY_TYPE)) return;
  const sent = req.headers['content-type']?.split(';')[0]?.trim().slice(0, 100);
  throw new UnsupportedMediaTypeException({
    statusCode: 415,
    error: 'Unsupported Media Type',
    message: `Send the body as JSON with Content-Type: ${JSON_BODY_TYPE} (this request sent ${sent ? sent : 'no Content-Type'})`,
  });
}

/** The request body, once it is known to be JSON (or absent). */
const JsonBody = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const req = context.switchToHttp().getRequest<Request>();
  assertJsonBody(req);
  return req.body as unknown;
});

/** `@ValidBody(schema)`: validates the JSON body and documents it in OpenAPI from the same schema. */
export function ValidBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    JsonBody(new ZodPipe(schema))(target, key, index);
    const { $schema: _ignored, ...openapi } = jsonSchema(schema);
    ApiBody({ schema: openapi })(target, key as string, describeMethod(target, key));
  };
}

/** `@ValidQuery(schema)`: validates the query string and documents each parameter. */
export function ValidQuery(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Query(new ZodPipe(schema))(target, key, index);
    const described = jsonSchema(schema);
    const descriptor = describeMethod(target, key);
    for (const [name, property] of Object.entries(described.properties ?? {})) {
      ApiQuery({ name, required: described.required?.includes(name) ?? false, schema: property })(target, key as string, descriptor);
    }
  };
}
