import { describe, expect, it } from 'vitest';
import { ApiError, formErrors, getProgram, login, parseRetryAfter, request, send } from './api';
import { safeNext } from './format';

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fn = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const text = body === undefined ? null : JSON.stringify(body);
    return new Response(text, {
      status,
      headers: { ...(text === null ? {} : { 'content-type': 'application/json' }), ...headers },
    });
  }) as typeof fetch;
  return { fn, calls };
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('api helpers', () => {
  it('posts JSON and returns the body', async () => {
    const { fn, calls } = fakeFetch(200, { user: { id: '1', email: 'a@b.c', name: 'A', orgRole: 'member' } });
    const r = await login(fn, 'a@b.c', 'pw');
    expect(r.user.name).toBe('A');
    expect(calls[0]?.url).toBe('/api/v1/auth/login');
    expect(calls[0]?.init?.method).toBe('POST');
    expect(calls[0]?.init?.body).toBe(JSON.stringify({ email: 'a@b.c', password: 'pw' }));
  });

  it('resolves 204 with undefined', async () => {
    const { fn } = fakeFetch(204, undefined);
    await expect(request(fn, '/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('carries the api message and field errors', async () => {
    const e400 = await rejection(
      request(fakeFetch(400, { statusCode: 400, message: 'Invalid request', errors: [{ field: 'key', reason: 'bad' }] }).fn, '/programs'),
    );
    expect(e400.status).toBe(400);
    expect(e400.message).toBe('Invalid request');
    expect(e400.fieldErrors).toEqual([{ field: 'key', reason: 'bad' }]);

    const e401 = await rejection(request(fakeFetch(401, { statusCode: 401, message: 'Email or password is incorrect' }).fn, '/x'));
    expect(e401.message).toBe('Email or password is incorrect');
  });

  it('words a 429 from Retry-After', async () => {
    const e = await rejection(request(fakeFetch(429, { statusCode: 429, message: 'Too Many Requests' }, { 'retry-after': '42' }).fn, '/x'));
    expect(e.retryAfter).toBe(42);
    expect(e.message).toBe('Too many attempts, try again in 42 seconds');
    const long = await rejection(request(fakeFetch(429, {}, { 'retry-after': '900' }).fn, '/x'));
    expect(long.message).toBe('Too many attempts, try again in 900 seconds (about 15 minutes)');
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10);
    expect(parseRetryAfter(null)).toBeNull();
  });

  it('sends CSV as text/csv and answers with the response whatever its status', async () => {
    const { fn, calls } = fakeFetch(400, { message: 'Bad rows' });
    const response = await send(fn, '/programs/QA/milestones/import', { method: 'POST', csv: 'title\nA' });
    expect(response.status).toBe(400);
    expect(calls[0]?.url).toBe('/api/v1/programs/QA/milestones/import');
    expect(calls[0]?.init?.body).toBe('title\nA');
    expect((calls[0]?.init?.headers as Record<string, string>)['content-type']).toBe('text/csv');
  });

  it('says so when the server cannot be reached', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const error = await rejection(send(down, '/auth/me'));
    expect(error.status).toBe(0);
    expect(error.message).toBe('Could not reach the server, check your connection and try again');
  });

  it('escapes path segments', async () => {
    const { fn, calls } = fakeFetch(200, {});
    await getProgram(fn, 'a/b');
    expect(calls[0]?.url).toBe('/api/v1/programs/a%2Fb');
  });

  it('only follows local paths after sign-in', () => {
    expect(safeNext('/programs/QA')).toBe('/programs/QA');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('/login?next=/')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });

  it('turns a failed request into a form\'s errors: per field from a 400, else one for the form', () => {
    const invalid = new ApiError(400, 'Invalid', [{ field: 'title', reason: 'Too long' }, { field: 'dueDate', reason: 'Not a date' }]);
    expect(formErrors(invalid, 'Could not add the item')).toEqual({ title: 'Too long', dueDate: 'Not a date' });
    expect(formErrors(new ApiError(409, 'Taken'), 'Could not add the item')).toEqual({ form: 'Could not add the item: Taken' });
    expect(formErrors('boom', 'Could not add the item')).toEqual({ form: 'Could not add the item: unknown error' });
  });

  it('keys a nested field by its top-level name, the form\'s one input for it', () => {
    const invalid = new ApiError(400, 'Invalid', [{ field: 'scope.2', reason: 'Too long' }, { field: 'name', reason: 'Required' }]);
    expect(formErrors(invalid, 'Could not add the wave')).toEqual({ scope: 'Too long', name: 'Required' });
  });
});
