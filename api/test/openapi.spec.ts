import { HttpStatus, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/bootstrap';
import { generateOpenApi, previewApp, stableJson } from '../src/bin/openapi';
import { startTestApp } from './harness';

/**
 * The OpenAPI document that `npm run api-client:generate` commits comes from Nest's preview mode
 * (no database, nothing instantiated). What is real here: the preview app and, in the last test,
 * the whole app on PostgreSQL, whose served document must be the same.
 */

interface Route {
  operationId: string;
  /** what Nest answers on success: @HttpCode, or 201 for POST and 200 otherwise */
  status: number;
}

/** Every controller method with a route, read from the decorators Nest itself reads. */
function routes(app: NestExpressApplication): Route[] {
  const out: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as { prototype: Record<string, unknown> }).prototype;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const method: RequestMethod | undefined = Reflect.getMetadata(METHOD_METADATA, handler);
        if (method === undefined) continue;
        const code: number | undefined = Reflect.getMetadata(HTTP_CODE_METADATA, handler);
        out.push({ operationId: `${wrapper.name}_${key}`, status: code ?? (method === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK) });
      }
    }
  }
  return out;
}

function operations(doc: OpenAPIObject) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, op]) => (op && typeof op === 'object' && 'responses' in op ? [{ name: `${method} ${path}`, op }] : [])),
  );
}

function refs(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => refs(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.add(child);
      else refs(child, found);
    }
  }
  return found;
}

describe('OpenAPI document', () => {
  let app: NestExpressApplication;
  let doc: OpenAPIObject;
  beforeAll(async () => {
    app = await previewApp();
    doc = openApiDocument(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('documents the success answer of every route, with the status Nest sends', () => {
    const byId = new Map(operations(doc).map(({ name, op }) => [op.operationId, { name, op }]));
    const all = routes(app);
    expect(all.length).toBe(byId.size);
    const wrong: string[] = [];
    for (const route of all) {
      const found = byId.get(route.operationId);
      if (!found) {
        wrong.push(`${route.operationId}: not in the document`);
        continue;
      }
      // A redirect (sign-on routes) is the success answer too, documented with its Location header.
      const success = Object.keys(found.op.responses).filter((s) => s.startsWith('2') || s.startsWith('3'));
      if (success.join() !== String(route.status)) wrong.push(`${found.name}: documents ${success.join() || 'nothing'}, answers ${route.status}`);
      const answer = found.op.responses[String(route.status)] as { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> } | undefined;
      const content = Object.values(answer?.content ?? {});
      if (route.status >= 300 && route.status < 400) {
        if (!answer?.headers?.Location) wrong.push(`${found.name}: a redirect without its Location header documented`);
      } else if (route.status !== 204 && (content.length === 0 || content.some((c) => !c.schema))) {
        wrong.push(`${found.name}: no response schema (add @ApiOkJson, @ApiCreatedJson or @ApiOkText)`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refers only to schemas it defines', () => {
    const defined = new Set(Object.keys(doc.components?.schemas ?? {}).map((name) => `#/components/schemas/${name}`));
    expect([...refs(doc)].filter((ref) => !defined.has(ref))).toEqual([]);
    expect(defined.size).toBeGreaterThan(0);
  });

  it('is the document the running app serves', async () => {
    const t = await startTestApp();
    try {
      expect(stableJson(openApiDocument(t.app))).toBe(stableJson(await generateOpenApi()));
    } finally {
      await t.close();
    }
  });
});

describe('stableJson', () => {
  it('sorts keys except the properties of a schema, and ends with a newline', () => {
    const json = stableJson({ paths: { '/b': {}, '/a': {} }, schema: { type: 'object', properties: { z: { type: 'string', description: 'd' }, a: {} } } });
    expect(json.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(json).paths)).toEqual(['/a', '/b']);
    expect(Object.keys(JSON.parse(json).schema.properties)).toEqual(['z', 'a']);
    expect(Object.keys(JSON.parse(json).schema.properties.z)).toEqual(['description', 'type']);
  });
});
