import { describe, expect, it } from 'vitest';
import { apiUnavailable, internalApiRequest, isOwnApiRequest } from './internal-fetch';

const PAGE = 'https://tandem.example.com';
const INTERNAL = 'http://127.0.0.1:4321';

describe('server-side api fetches', () => {
  it('recognises same-origin api calls only', () => {
    expect(isOwnApiRequest(new Request(`${PAGE}/api/v1/x`), PAGE)).toBe(true);
    expect(isOwnApiRequest(new Request(`${PAGE}/programs`), PAGE)).toBe(false);
    expect(isOwnApiRequest(new Request(`${PAGE}/apiary`), PAGE)).toBe(false);
    expect(isOwnApiRequest(new Request('https://other.example/api/v1/x'), PAGE)).toBe(false);
  });

  it('sends them to the internal origin with the incoming cookie', () => {
    const req = new Request(`${PAGE}/api/v1/programs?cursor=abc`, { headers: { accept: 'application/json', origin: PAGE } });
    const out = internalApiRequest(req, INTERNAL, 'tandem_session=s1; other=x');
    expect(out.url).toBe(`${INTERNAL}/api/v1/programs?cursor=abc`);
    expect(out.headers.get('cookie')).toBe('tandem_session=s1; other=x');
    expect(out.headers.get('accept')).toBe('application/json');
    expect(out.headers.get('origin')).toBeNull();
    expect(out.method).toBe('GET');
  });

  it('keeps the method and body of a POST, and sends no cookie when there is none', async () => {
    const req = new Request(`${PAGE}/api/v1/programs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'stale=1' },
      body: JSON.stringify({ key: 'QA', name: 'x' }),
    });
    const out = internalApiRequest(req, INTERNAL, null);
    expect(out.method).toBe('POST');
    expect(out.headers.get('cookie')).toBeNull();
    expect(await out.json()).toEqual({ key: 'QA', name: 'x' });
  });

  it('answers 503 JSON when there is no api', async () => {
    const res = apiUnavailable();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ statusCode: 503, message: 'The Tandem api is not available' });
  });
});
