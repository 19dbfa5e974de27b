import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { programView, viewRegistry } from '../index.js';
import { described } from './registry.js';

describe('response views', () => {
  it('all convert to OpenAPI 3.0 schemas, each under its own name', () => {
    const { schemas } = z.toJSONSchema(viewRegistry, { target: 'openapi-3.0', io: 'output', uri: (id) => `#/components/schemas/${id}` });
    expect(Object.keys(schemas)).toContain('Program');
    expect(Object.keys(schemas).length).toBeGreaterThan(30);
    expect(JSON.stringify(schemas.Program)).toContain('"$ref":"#/components/schemas/ProgramAbility"');
  });

  it('keep a field description on that field only', () => {
    const { properties } = z.toJSONSchema(programView, { metadata: viewRegistry, io: 'output' }).$defs?.Program as { properties: Record<string, { description?: string }> };
    expect(properties.myRole?.description).toMatch(/program role/);
    expect(properties.id?.description).toBeUndefined();
  });

  it('refuse to describe a named view where it is used', () => {
    expect(() => described('x', programView)).toThrow(/Program/);
  });
});
