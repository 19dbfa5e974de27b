/**
 * The web app mount, over real HTTP with Express and compression, in front of a stand-in for the
 * built SvelteKit handler (a fixed 8 KB page, and an asset that comes precompressed as
 * adapter-node serves them). Loading handler.js itself is covered by the browser tests.
 */
import { get as httpGet, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebApp } from './web-app';

const PAGE = `<!doctype html><title>Portfolio</title>${'<p>Every program’s health</p>'.repeat(300)}`;
let server: Server;

const kitHandler: RequestHandler = (req, res) => {
  if (req.url.startsWith('/_app/')) {
    res.writeHead(200, { 'content-type': 'text/javascript', 'content-encoding': 'br' });
    res.end('already-compressed');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(PAGE) });
  res.end(PAGE);
};

beforeAll(async () => {
  const app = express();
  app.use(serveWebApp(kitHandler));
  app.use((_req, res) => res.status(404).json({ api: true }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The bytes as sent (no client-side decompression). */
function get(path: string, acceptEncoding: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('web app mount', () => {
  it('sends pages with brotli when the browser accepts it, gzip otherwise, plain when neither', async () => {
    const br = await get('/portfolio', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(br.body.length).toBeLessThan(Buffer.byteLength(PAGE) / 4);
    expect(brotliDecompressSync(br.body).toString()).toBe(PAGE);

    const gz = await get('/portfolio', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(PAGE);

    const plain = await get('/portfolio', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(PAGE);
  });

  it('leaves precompressed assets as they are', async () => {
    const res = await get('/_app/immutable/entry/app.js', 'gzip, br');
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.body.toString()).toBe('already-compressed');
  });

  it('passes the api, health and socket.io paths on', async () => {
    for (const path of ['/api/v1/programs', '/health/ready', '/socket.io/']) {
      const res = await get(path, 'gzip, br');
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body.toString())).toEqual({ api: true });
    }
  });
});
