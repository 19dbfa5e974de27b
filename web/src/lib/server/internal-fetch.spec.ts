import { describe, expect, it } from 'vitest';
import { internalApiRequest } from './internal-fetch';

const PAGE = 'https://tandem.example.com';
const INTERNAL = 'http://127.0.0.1:4321';

describe('internalApiRequest', () => {
  it('sends same-origin api calls to the internal origin with the incoming cookie', () => {
    const req = new Request(`${PAGE}/api/v1/programs?cursor=abc`, { headers: { accept: 'application/json' } });
    const out = internalApiRequest(req, PAGE, INTERNAL, 'tandem_session=s1; other=x');
    expect(out?.url).toBe(`${INTERNAL}/api/v1/programs?cursor=abc`);
    expect(out?.headers.get('cookie')).toBe('tandem_session=s1; other=x');
    expect(out?.headers.get('accept')).toBe('application/json');
    expect(out?.method).toBe('GET');
  });

  it('keeps the method and body of a POST', async () => {
    const req = new Request(`${PAGE}/api/v1/programs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'QA', name: 'x' }),
    });
    const out = internalApiRequest(req, PAGE, INTERNAL, null);
    expect(out?.method).toBe('POST');
    expect(out?.headers.get('cookie')).toBeNull();
    expect(await out?.json()).toEqual({ key: 'QA', name: 'x' });
  });

  it('leaves other requests alone', () => {
    expect(internalApiRequest(new Request(`${PAGE}/api/v1/x`), PAGE, undefined, 'a=b')).toBeNull();
    expect(internalApiRequest(new Request(`${PAGE}/programs`), PAGE, INTERNAL, 'a=b')).toBeNull();
    expect(internalApiRequest(new Request(`${PAGE}/apiary`), PAGE, INTERNAL, 'a=b')).toBeNull();
    expect(internalApiRequest(new Request('https://other.example/api/v1/x'), PAGE, INTERNAL, 'a=b')).toBeNull();
  });
});
