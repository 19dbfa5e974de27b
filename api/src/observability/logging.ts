import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { AppConfig } from '../config/config';

/**
 * JSON logs (pino), one line per event. Every HTTP request gets an id — the caller's
 * `X-Request-Id` when it is well formed, a new UUID otherwise — echoed in the response and
 * carried by every line logged while handling it (Nest's Logger is routed here through
 * nestjs-pino). Secrets never reach a log line: cookies, authorization headers, `password` fields
 * and the tokens that stand in for a sign-in in URLs (share links, calendar feeds) are redacted.
 */

const PINO_LEVELS: Record<AppConfig['logLevel'], pino.Level> = { debug: 'debug', log: 'info', warn: 'warn', error: 'error' };

export const REQUEST_ID_HEADER = 'x-request-id';
/** What a caller may send as its request id: short, printable, no spaces or quotes. */
const WELL_FORMED_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

const REDACTED = '[redacted]';
/** Redacted wherever they appear in a logged object (pino's paths: one wildcard level at a time). */
const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers["x-tandem-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  '*.*.password',
  'newPassword',
  '*.newPassword',
  'token',
  '*.token',
];

/**
 * Secret tokens travel in some paths (`/api/v1/shared/<token>/report`, `/api/v1/calendar/<token>.ics`)
 * and API tokens may be pasted anywhere: a path segment or query value shaped like one is redacted.
 */
const SECRET_SEGMENT = /(?<=\/|=)(?:tdm_)?[A-Za-z0-9_-]{43}(?=[./?&#]|$)/g;
const SECRET_QUERY = /([?&](?:token|access_token|password)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_SEGMENT, REDACTED).replace(SECRET_QUERY, `$1${REDACTED}`);
}

export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && WELL_FORMED_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

export function createLogger(config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: PINO_LEVELS[config.logLevel],
    base: { service: 'tandem-api', pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  };
  return destination ? pino(options, destination) : pino(options);
}

type LoggedRequest = IncomingMessage & { originalUrl?: string; actor?: { id: string } };

/** The Express-level request logger: first in the chain, so every request (web pages too) has an id. */
export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: requestId,
    // Probes and scrapes would drown everything else.
    autoLogging: { ignore: (req) => /^\/(health\/|metrics$)/.test(req.url ?? '') },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    // For a 5xx without an error pino-http makes one up ("failed with status code 500") whose stack
    // shows only its own code; the errors filter has already logged the real one, with this request's id.
    customErrorObject: (_req, res, error, value: Record<string, unknown>) =>
      error.message === `failed with status code ${res.statusCode}` ? { ...value, err: undefined } : value,
    customErrorMessage: (_req, res) => `request failed with ${res.statusCode}`,
    customProps: (req: LoggedRequest) => (req.actor ? { userId: req.actor.id } : {}),
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        headers: present({
          host: req.headers.host,
          'user-agent': req.headers['user-agent'],
          referer: typeof req.headers.referer === 'string' ? redactUrl(req.headers.referer) : undefined,
          origin: req.headers.origin,
          'x-forwarded-for': req.headers['x-forwarded-for'],
          // present only to say they were sent: the values are redacted (REDACT_PATHS)
          cookie: req.headers.cookie,
          authorization: req.headers.authorization,
        }),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

/** Leaves out what was not sent (redaction would otherwise print "[redacted]" for absent headers). */
function present(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined));
}
