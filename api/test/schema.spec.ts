import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness';

/**
 * Migrations and entities agree. Real: PostgreSQL (a database of this file's own) migrated by the
 * app at start, and MikroORM's schema generator comparing it with the entity metadata. If this
 * fails, an entity changed without a migration (or a migration without its entity): the printed
 * SQL is what a new migration would need.
 */
describe('database schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SEED_DEMO: '0' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has every migration applied', async () => {
    expect(await t.orm.getMigrator().getPendingMigrations()).toEqual([]);
  });

  it('matches the entities exactly: the schema generator finds nothing to change', async () => {
    const diff = await t.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });
});
