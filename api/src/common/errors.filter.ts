import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { NotFoundError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Response } from 'express';

/**
 * Errors are data. Known failures keep their status and body; a database constraint that a client
 * could trigger becomes a 409; a body that is not JSON or is too large is a 400/413; anything else
 * is logged with its stack and answered with a plain 500 that leaks nothing.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const { status, body, headers } = this.describe(exception);
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    res.status(status).json(body);
  }

  private describe(exception: unknown): { status: number; body: Record<string, unknown>; headers?: Record<string, string> } {
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const status = exception.getStatus();
      const body = typeof response === 'string' ? { statusCode: status, message: response } : (response as Record<string, unknown>);
      return { status, body };
    }
    if (exception instanceof UniqueConstraintViolationException) {
      return { status: 409, body: { statusCode: 409, error: 'Conflict', message: 'That already exists' } };
    }
    if (exception instanceof NotFoundError) {
      return { status: 404, body: { statusCode: 404, error: 'Not Found', message: 'Not found' } };
    }
    const parserError = parseBodyError(exception);
    if (parserError) return parserError;
    if (databaseUnavailable(exception)) {
      return {
        status: 503,
        headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
        body: { statusCode: 503, error: 'Service Unavailable', message: 'The database is unavailable; try again shortly', retryAfter: DATABASE_RETRY_AFTER_SECONDS },
      };
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side' } };
  }
}

export function parseBodyError(exception: unknown): { status: number; body: Record<string, unknown> } | null {
  if (typeof exception !== 'object' || exception === null || !('type' in exception)) return null;
  const type = (exception as { type: unknown }).type;
  if (type === 'entity.parse.failed') {
    return { status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'Invalid request', errors: [{ field: '', reason: 'body is not valid JSON' }] } };
  }
  if (type === 'entity.too.large') {
    return { status: 413, body: { statusCode: 413, error: 'Payload Too Large', message: 'Request body is too large' } };
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return { status: 415, body: { statusCode: 415, error: 'Unsupported Media Type', message: 'Unsupported body encoding' } };
  }
  return null;
}

/** What a client should wait before trying again while the database does not answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Connection-level failures (node's and PostgreSQL's codes): the database is down, restarting or full. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const UNAVAILABLE_MESSAGES = /Timeout acquiring a connection|Connection terminated|connection is closed|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery)|terminating connection due to administrator command/i;

/**
 * Whether an error (or what it wraps: the ORM keeps the driver's error as `previous`, node as
 * `cause`) says the database cannot be reached — a 503 the client may retry, not a 500.
 */
export function databaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const { code, message, previous, cause } = error as { code?: unknown; message?: unknown; previous?: unknown; cause?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  if (error instanceof AggregateError && error.errors.some((e) => databaseUnavailable(e, depth + 1))) return true;
  return databaseUnavailable(previous, depth + 1) || databaseUnavailable(cause, depth + 1);
}
