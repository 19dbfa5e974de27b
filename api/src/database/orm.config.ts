import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from './entities';
import { migrationsList } from './migrations';
import type { DatabaseTarget } from './embedded';

export function ormOptions(target: DatabaseTarget, debug = false): Options {
  return defineConfig({
    clientUrl: target.url,
    entities: ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, tableName: 'mikro_orm_migrations', silent: true },
    pool: { min: 0, max: target.poolMax },
    // Explicit `type:` on every property, so no reflection library is needed.
    discovery: { requireEntitiesArray: true },
    forceUtcTimezone: true,
    // Only the statements and their parameters: DB_DEBUG is for reading the SQL a request sends.
    debug: debug ? ['query', 'query-params'] : false,
  });
}
