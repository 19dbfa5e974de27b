// First, before anything it instruments is loaded: OpenTelemetry tracing, when configured.
import { tracing } from './observability/tracing-start';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/config';
import { exitGracefullyOnSignals } from './shutdown';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  exitGracefullyOnSignals(app, { timeoutMs: config.shutdownTimeoutMs, tracing });
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.env.TANDEM_INTERNAL_ORIGIN = `http://127.0.0.1:${port}`;
  const where = config.databaseUrl ? 'PostgreSQL at DATABASE_URL' : `embedded PostgreSQL in ${config.dataDir}`;
  const extras = [config.metrics.enabled && 'metrics at /metrics', tracing && 'OpenTelemetry tracing'].filter(Boolean);
  Logger.log(`Tandem is listening on http://localhost:${port} (${where}${extras.length ? `; ${extras.join(', ')}` : ''})`, 'Tandem');
}

// A stray rejection (a page's fetch nobody awaited, a closed socket) is a bug to log, not a reason
// to take every open document and request down with the process.
process.on('unhandledRejection', (reason) => {
  Logger.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`, 'Process');
});

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
