import { applyDecorators, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { tap, type Observable } from 'rxjs';

/**
 * Sets the content type of a successful answer only. Nest's `@Header` is applied before the
 * handler runs, so an error answer (a 404 as JSON) would go out labelled as Markdown or iCalendar.
 */
class ContentTypeOnSuccess implements NestInterceptor {
  constructor(private readonly type: string) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(tap(() => context.switchToHttp().getResponse<Response>().setHeader('Content-Type', this.type)));
  }
}

/** The route answers `type` (documented in OpenAPI); errors stay JSON. */
export const Produces = (type: string) =>
  applyDecorators(
    UseInterceptors(new ContentTypeOnSuccess(type)),
    ApiProduces(type),
    ApiOkResponse({ description: type, content: { [type]: { schema: { type: 'string' } } } }),
  );
