import 'reflect-metadata';
import type { Server as HttpServer } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Logger as PinoNestLogger } from 'nestjs-pino';
// Not in the package's index; the module has no exports map.
import { __resetOutOfContextForTests as forgetEarlierAppsLogger } from 'nestjs-pino/PinoLogger';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { RelayService } from './collab/relay';
import { parseBodyError } from './common/errors.filter';
import { viewComponentSchemas } from './common/responses';
import { JSON_BODY_TYPE } from './common/validation';
import type { AppConfig } from './config/config';
import { externalPostgres, startEmbeddedPostgres, type DatabaseTarget } from './database/embedded';
import { TandemIoAdapter } from './live/socket-adapter';
import { createLogger, httpLogger } from './observability/logging';
import { MetricsService } from './observability/metrics.service';
import { csrfProtection } from './security/csrf';
import { securityHeaders } from './security/headers';
import { loadWebApp } from './web/web-app';

export const BODY_LIMIT = '1mb';

export interface CreateAppOptions {
  serveWeb?: boolean;
  /** where the JSON logs go (default: stdout) */
  logDestination?: DestinationStream;
}

/**
 * Builds the whole app — api, OpenAPI, and the web app when it is built — without listening.
 * Express order: request log and id → request timer (metrics) → security headers → /metrics →
 * cookies → CSRF check → JSON body → Nest (guard: caller, rate limit, scopes; routes) and
 * socket.io → the web app. SIGTERM handling is main.ts's (see shutdown.ts).
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const database: DatabaseTarget = config.databaseUrl ? externalPostgres(config.databaseUrl) : await startEmbeddedPostgres(config.dataDir);
  const logger = createLogger(config, options.logDestination);
  // nestjs-pino keeps the logger of the first app a process builds, for everything logged outside
  // a request, for the life of the process. A process builds one app in production; the tests
  // build many, one file after another, each with its own log level and destination.
  forgetEarlierAppsLogger();
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database, logger), { bodyParser: false, bufferLogs: true });
  } catch (error) {
    await database.close();
    throw error;
  }
  app.useLogger(app.get(PinoNestLogger));
  app.flushLogs();
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(httpLogger(logger));
  const metrics = app.get(MetricsService);
  if (metrics.enabled) app.use(metrics.httpTimer());
  app.use(...securityHeaders(config));
  if (metrics.enabled) app.use(metrics.endpoint());
  app.use(cookieParser());
  app.use(csrfProtection(config));
  app.use(jsonBody());
  const watchSockets = metrics.enabled ? (server: Parameters<MetricsService['watchSockets']>[0]) => metrics.watchSockets(server) : null;
  app.useWebSocketAdapter(new TandemIoAdapter(app, config, app.get(RelayService).socketAdapter(), watchSockets));
  SwaggerModule.setup('api/docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  if (options.serveWeb !== false && config.webBuildDir) {
    app.use(await loadWebApp(config.webBuildDir));
  } else if (options.serveWeb !== false) {
    Logger.warn('The web app is not built (web/build/handler.js); serving the api only', 'Web');
  }
  await app.init();
  keepConnectionsLongerThanProxies(app.getHttpServer() as HttpServer, config.keepAliveMs);
  return app;
}

/**
 * Node closes an idle keep-alive connection after 5 s by default. A proxy or load balancer in front
 * (and any HTTP client that pools connections) that sends its next request just as the server
 * closes gets a reset — a 502 at the balancer. The server keeps idle connections longer than
 * they do (60 s is the usual balancer default), and waits for headers a second longer than that.
 */
function keepConnectionsLongerThanProxies(server: HttpServer, keepAliveMs: number): void {
  server.keepAliveTimeout = keepAliveMs;
  server.headersTimeout = keepAliveMs + 1000;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tandem API')
    .setDescription('Programs, milestones, rollout waves and live documents. Errors: 400 names each bad field, 404 for anything you may not see, 409 says what blocks, 415 when a body is not sent as JSON (Content-Type: application/json; CSV imports take text/csv).')
    .setVersion('1')
    .addCookieAuth('tandem_session')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A personal API token (`tdm_…`, from POST /api/v1/tokens)' }, 'api-token')
    .build();
  // The response views documented with @ApiOkJson refer to these by name.
  config.components = { ...config.components, schemas: viewComponentSchemas() };
  return SwaggerModule.createDocument(app, config);
}

/**
 * JSON bodies up to 1 MB; a body that does not parse is a 400 naming the body, not a 500. A body of
 * another type is left unread, and a route that takes JSON answers it with a 415 (`@ValidBody`).
 */
function jsonBody() {
  const parse = express.json({ type: JSON_BODY_TYPE, limit: BODY_LIMIT });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const described = parseBodyError(error) ?? { status: 400, body: { statusCode: 400, message: 'Invalid request body' } };
      res.status(described.status).json(described.body);
    });
}
