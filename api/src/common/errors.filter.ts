import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { DriverException, NotFoundError, UniqueConstraintViolationException } from '@mikro-orm/core';
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
    const { status, body } = this.describe(exception);
    res.status(status).json(body);
  }

  private describe(exception: unknown): { status: number; body: Record<string, unknown> } {
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
    if (exception instanceof DriverException && isUnavailable(exception)) {
      return { status: 503, body: { statusCode: 503, error: 'Service Unavailable', message: 'The database is unavailable; try again shortly' } };
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

function isUnavailable(error: DriverException): boolean {
  const code = (error as { code?: string }).code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03'].includes(code) || /Timeout acquiring a connection/.test(error.message);
}
