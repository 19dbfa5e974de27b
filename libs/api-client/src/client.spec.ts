import { describe, expect, expectTypeOf, it } from 'vitest';
import { createTandemClient, type Page, type Program, type ResponseOf } from './index.js';

function fakeFetch(status: number, body: unknown) {
  const requests: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request);
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

describe('createTandemClient', () => {
  it('calls the typed path with its parameters and sends the session cookie', async () => {
    const { fetch, requests } = fakeFetch(200, { id: 'p1', key: 'QA' });
    const client = createTandemClient({ baseUrl: 'http://tandem.test', fetch });
    const { data } = await client.GET('/api/v1/programs/{program}', { params: { path: { program: 'Q/A' } } });
    expectTypeOf(data).toEqualTypeOf<Program | undefined>();
    expect(data?.key).toBe('QA');
    expect(requests[0]?.url).toBe('http://tandem.test/api/v1/programs/Q%2FA');
    expect(requests[0]?.credentials).toBe('include');
  });

  it('sends a JSON body and query parameters', async () => {
    const { fetch, requests } = fakeFetch(201, { id: 'p2' });
    const client = createTandemClient({ baseUrl: 'http://tandem.test', fetch });
    await client.POST('/api/v1/programs', { body: { key: 'WFM', name: 'Forecasting' } });
    await client.GET('/api/v1/programs', { params: { query: { limit: 10, includeArchived: 'true' } } });
    expect(requests[0]?.method).toBe('POST');
    expect(await requests[0]?.json()).toEqual({ key: 'WFM', name: 'Forecasting' });
    expect(requests[1]?.url).toBe('http://tandem.test/api/v1/programs?limit=10&includeArchived=true');
  });

  it('returns the error body of a refused call', async () => {
    const { fetch } = fakeFetch(404, { statusCode: 404, message: 'Program not found' });
    const client = createTandemClient({ baseUrl: 'http://tandem.test', fetch });
    const { data, error, response } = await client.GET('/api/v1/programs/{program}', { params: { path: { program: 'NOPE' } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toEqual({ statusCode: 404, message: 'Program not found' });
  });

  it('names the answers of list routes', () => {
    expectTypeOf<ResponseOf<'/api/v1/programs', 'get'>>().toEqualTypeOf<Page<Program>>();
  });
});
