import 'reflect-metadata';
import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppModule } from './app.module';
import { RelayService } from './collab/relay';
import { parseBodyError } from './common/errors.filter';
import { viewComponentSchemas } from './common/responses';
import type { AppConfig } from './config/config';
import { externalPostgres, startEmbeddedPostgres, type DatabaseTarget } from './database/embedded';
import { TandemIoAdapter } from './live/socket-adapter';
import { loadWebApp } from './web/web-app';

const LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  debug: ['debug', 'verbose', 'log', 'warn', 'error', 'fatal'],
  log: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

export const BODY_LIMIT = '1mb';

/** Builds the whole app — api, OpenAPI, and the web app when it is built — without listening. */
export async function createApp(config: AppConfig, options: { serveWeb?: boolean } = {}): Promise<NestExpressApplication> {
  const database: DatabaseTarget = config.databaseUrl ? externalPostgres(config.databaseUrl) : await startEmbeddedPostgres(config.dataDir);
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, database), {
      bodyParser: false,
      logger: LEVELS[config.logLevel],
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(cookieParser());
  app.use(jsonBody());
  app.enableShutdownHooks();
  app.useWebSocketAdapter(new TandemIoAdapter(app, config, app.get(RelayService).socketAdapter()));
  SwaggerModule.setup('api/docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  if (options.serveWeb !== false && config.webBuildDir) {
    app.use(await loadWebApp(config.webBuildDir));
  } else if (options.serveWeb !== false) {
    Logger.warn('The web app is not built (web/build/handler.js); serving the api only', 'Web');
  }
  await app.init();
  return app;
}

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tandem API')
    .setDescription('Programs, milestones, rollout waves and live documents. Errors: 400 names each bad field, 404 for anything you may not see, 409 says what blocks.')
    .setVersion('1')
    .addCookieAuth('tandem_session')
    .build();
  // The response views documented with @ApiOkJson refer to these by name.
  config.components = { ...config.components, schemas: viewComponentSchemas() };
  return SwaggerModule.createDocument(app, config);
}

/** JSON bodies up to 1 MB; a body that does not parse is a 400 naming the body, not a 500. */
function jsonBody() {
  const parse = express.json({ limit: BODY_LIMIT });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const described = parseBodyError(error) ?? { status: 400, body: { statusCode: 400, message: 'Invalid request body' } };
      res.status(described.status).json(described.body);
    });
}
