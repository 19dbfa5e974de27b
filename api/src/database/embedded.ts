import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface DatabaseTarget {
  /** connection string the ORM uses */
  url: string;
  /** whether this is the in-process PGlite */
  embedded: boolean;
  /** pool size the ORM may open */
  poolMax: number;
  close(): Promise<void>;
}

/**
 * Starts PostgreSQL in this process (PGlite, files under `<dataDir>/pg`) and serves it on a
 * loopback port so the ordinary pg driver — the same one production uses — talks to it.
 * PGlite runs one query at a time on one session; the socket server multiplexes the pool onto it,
 * so maxConnections must be at least the pool size (see STACK.md).
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<DatabaseTarget> {
  const dir = join(dataDir, 'pg');
  mkdirSync(dir, { recursive: true });
  const db = await PGlite.create({ dataDir: dir });
  const poolMax = 4;
  // + 3: the ORM's pool, the update log's own connection (collab/doc-store.ts), and room to spare.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: poolMax + 3 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    poolMax,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

export function externalPostgres(url: string): DatabaseTarget {
  return { url, embedded: false, poolMax: 10, close: async () => undefined };
}
