import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { StreamableFile, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { mergeMap, type Observable } from 'rxjs';

/** A value's JSON, encoded, with its entity tag: computed once however often it is sent. */
export interface PreparedJson {
  bytes: Buffer;
  etag: string;
  /** the bytes gzipped, made once, the first time a client that accepts gzip asks */
  gzipped?: Promise<Buffer>;
}

const gzipAsync = promisify(gzip);
/** Below this, compressing costs more than it saves. */
const GZIP_FROM_BYTES = 1024;

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
      mergeMap(async (body: unknown) => {
        const json = typeof body === 'object' && body !== null ? prepared.get(body) : undefined;
        if (!json) return body;
        const http = context.switchToHttp();
        const req = http.getRequest<Request>();
        const res = http.getResponse<Response>();
        res.setHeader('ETag', json.etag);
        res.setHeader('Vary', 'Accept-Encoding');
        // A client that has this answer: Express turns an answer to a fresh request into a 304.
        if (req.fresh) return '';
        const type = 'application/json; charset=utf-8';
        if (json.bytes.length >= GZIP_FROM_BYTES && req.acceptsEncodings('gzip', 'identity') === 'gzip') {
          // Compressed off the event loop, once per answer, however many clients it goes to.
          const bytes = await (json.gzipped ??= gzipAsync(json.bytes).catch((error: unknown) => {
            json.gzipped = undefined;
            throw error;
          }));
          res.setHeader('Content-Encoding', 'gzip');
          return new StreamableFile(bytes, { type, length: bytes.length });
        }
        return new StreamableFile(json.bytes, { type, length: json.bytes.length });
      }),
    );
  }
}

/**
 * The handler still returns the typed value (the compiler and the OpenAPI document check it), but
 * when that value comes with JSON prepared earlier (`withPreparedJson`), the prepared bytes go
 * out instead of serialising, encoding and hashing the value again — at five hundred programs
 * (600 kB) that was most of a portfolio request — gzipped (once) for clients that accept it, as
 * browsers do: 600 kB becomes about 60.
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

/**
 * Whole answers by the day and a key of everything else they depend on, each served for at most
 * `maxAgeMs` (what the key cannot see, it cannot hide for longer), the `size` most recent.
 */
export class WholeAnswers<T> {
  private readonly entries = new Map<string, { at: number; answer: T }>();

  constructor(
    private readonly size: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(day: string, key: string): T | undefined {
    const entryKey = `${day} ${key}`;
    const entry = this.entries.get(entryKey);
    if (!entry) return undefined;
    if (this.now() - entry.at >= this.maxAgeMs) {
      this.entries.delete(entryKey);
      return undefined;
    }
    return entry.answer;
  }

  set(day: string, key: string, answer: T): void {
    const entryKey = `${day} ${key}`;
    this.entries.delete(entryKey);
    this.entries.set(entryKey, { at: this.now(), answer });
    // Map keeps insertion order: the first key is the least recently stored.
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string);
  }
}
