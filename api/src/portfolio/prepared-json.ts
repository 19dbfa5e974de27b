import { createHash } from 'node:crypto';
import { StreamableFile, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';

/** A value's JSON, encoded, with its entity tag: computed once however often it is sent. */
export interface PreparedJson {
  bytes: Buffer;
  etag: string;
}

export function prepareJson(text: string): PreparedJson {
  const bytes = Buffer.from(text);
  // The form of Express's own weak tag, so a client's If-None-Match works as before.
  const etag = `W/"${bytes.length.toString(16)}-${createHash('sha1').update(bytes).digest('base64').slice(0, 27)}"`;
  return { bytes, etag };
}

const prepared = new WeakMap<object, PreparedJson>();

/** Records that `json` is `value` serialised, for `SendsPreparedJson` to send as it is. */
export function withPreparedJson<T extends object>(value: T, json: PreparedJson): T {
  prepared.set(value, json);
  return value;
}

class SendPreparedJson implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        const json = typeof body === 'object' && body !== null ? prepared.get(body) : undefined;
        if (!json) return body;
        const http = context.switchToHttp();
        http.getResponse<Response>().setHeader('ETag', json.etag);
        // A client that has this answer: Express turns an answer to a fresh request into a 304.
        if (http.getRequest<Request>().fresh) return '';
        return new StreamableFile(json.bytes, { type: 'application/json; charset=utf-8', length: json.bytes.length });
      }),
    );
  }
}

/**
 * The handler still returns the typed value (the compiler and the OpenAPI document check it), but
 * when that value comes with JSON prepared earlier (`withPreparedJson`), the prepared bytes go
 * out instead of serialising, encoding and hashing the value again — at five hundred programs
 * (600 kB) that was most of a portfolio request.
 */
export const SendsPreparedJson = () => UseInterceptors(new SendPreparedJson());

/**
 * The last few answers joined from cached parts, by the identity of those parts: an answer made of
 * exactly the same parts as a recent one is that one, text and tag, with nothing joined or hashed.
 */
export class RecentAnswers<P extends { json: string }> {
  private readonly recent: { parts: readonly P[]; json: PreparedJson }[] = [];

  constructor(
    private readonly size: number,
    private readonly join: (parts: readonly string[]) => string,
  ) {}

  get(parts: readonly P[]): PreparedJson {
    const i = this.recent.findIndex((r) => r.parts.length === parts.length && r.parts.every((p, j) => p === parts[j]));
    const found = i >= 0 ? this.recent.splice(i, 1)[0]! : { parts, json: prepareJson(this.join(parts.map((p) => p.json))) };
    this.recent.unshift(found);
    if (this.recent.length > this.size) this.recent.pop();
    return found.json;
  }
}
