import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Tracing } from './observability/tracing';

/**
 * SIGTERM (and SIGINT): stop taking connections, tell co-editing clients `closing`
 * ('server_shutdown') so they reconnect elsewhere, store every document update already accepted
 * (the group-commit barrier), close the sockets, the database and Redis, and exit — within
 * `timeoutMs` whatever happens; past it the process exits with status 1 anyway.
 *
 * The co-editing part is the collab gateway's and DocStore's `beforeApplicationShutdown`; the
 * order after it is Nest's (socket.io and the HTTP server close, then Redis and the database).
 */
export function exitGracefullyOnSignals(app: NestExpressApplication, options: { timeoutMs: number; tracing: Tracing | null }): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    logger.log(`${signal}: stopping (at most ${options.timeoutMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(`still stopping after ${options.timeoutMs} ms; exiting anyway`);
      process.exit(1);
    }, options.timeoutMs);
    deadline.unref();
    const server = app.getHttpServer() as Server;
    // No new connections; a keep-alive connection is closed as soon as its last response is out.
    server.close();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.closeIdleConnections();
    app
      .close()
      .then(() => options.tracing?.shutdown())
      .then(
        () => {
          logger.log(`stopped in ${Date.now() - started} ms`);
          process.exitCode = 0;
        },
        (error: unknown) => {
          logger.error(`stopping failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          process.exitCode = 1;
        },
      )
      .finally(() => {
        clearInterval(idle);
        clearTimeout(deadline);
        // Exit now: a stray timer or socket must not keep a stopped node alive.
        setImmediate(() => process.exit());
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
