import { BadRequestException, Body, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
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

/** `@ValidBody(schema)`: validates the body and documents it in OpenAPI from the same schema. */
export function ValidBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Body(new ZodPipe(schema))(target, key, index);
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
