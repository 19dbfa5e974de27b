/**
 * The built assets, served over real HTTP by Express from real files in a temp directory: first a
 * hand-made client directory behind a stand-in for SvelteKit's handler, then a hand-made build
 * directory loaded through `loadWebApp`. Files are removed after start-up, as a deploy that
 * rebuilds the directory in place does. (Not the real web build: that would make the api's tests
 * wait for it, and the browser tests already run it.)
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStaticFiles } from './static-files';
import { loadWebApp, serveWebApp } from './web-app';

const APP_JS = `export const start = () => ${JSON.stringify('every program’s health '.repeat(200))};\n`;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

async function listen(handler: RequestHandler): Promise<Server> {
  const app = express();
  app.use(handler);
  app.use((_req, res) => res.status(404).json({ kit: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return server;
}

/** The bytes as sent (no client-side decompression). */
function fetchRaw(server: Server, path: string, headers: OutgoingHttpHeaders = {}, method = 'GET'): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('built assets from a client directory', () => {
  let dir: string;
  let server: Server;
  const get = (path: string, headers: OutgoingHttpHeaders = {}, method?: string) => fetchRaw(server, path, headers, method);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-client-'));
    mkdirSync(join(dir, '_app', 'immutable', 'entry'), { recursive: true });
    const app = join(dir, '_app', 'immutable', 'entry', 'app.js');
    writeFileSync(app, APP_JS);
    writeFileSync(`${app}.br`, brotliCompressSync(APP_JS));
    writeFileSync(`${app}.gz`, gzipSync(APP_JS));
    writeFileSync(join(dir, '_app', 'immutable', 'entry', 'start.js'), 'export {};\n');
    writeFileSync(join(dir, '_app', 'version.json'), '{"version":"1"}');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, 'robots.txt'), 'User-agent: *\n');
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    const kit: RequestHandler = (_req, res) => void res.status(200).type('html').send('<!doctype html><title>Kit</title>');
    server = await listen(serveWebApp(kit, serveStaticFiles(dir, '/_app/immutable/')));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the brotli copy to a browser that accepts it, gzip otherwise, the file itself to the rest', async () => {
    const br = await get('/_app/immutable/entry/app.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^text\/javascript/);
    expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(br.headers['cache-control']).toBe('public,max-age=31536000,immutable');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).toString()).toBe(APP_JS);

    const gz = await get('/_app/immutable/entry/app.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');

    const plain = await get('/_app/immutable/entry/app.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(APP_JS);
    expect(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size).toBe(3);
  });

  it('answers 304 to the ETag it gave, and caches only what is under the immutable path for a year', async () => {
    const first = await get('/_app/version.json', { 'accept-encoding': 'br' });
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.headers['cache-control']).toBeUndefined();
    expect(first.headers.etag).toMatch(/^W\/"\d+-\d+"$/);
    const again = await get('/_app/version.json', { 'accept-encoding': 'br', 'if-none-match': first.headers.etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it('answers HEAD with the headers only, and one byte range', async () => {
    const head = await get('/favicon.svg', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('image/svg+xml');
    expect(head.headers['content-length']).toBe('41');
    expect(head.body.length).toBe(0);

    const part = await get('/favicon.svg', { range: 'bytes=1-3' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 1-3/41');
    expect(part.body.toString()).toBe('svg');
    expect((await get('/favicon.svg', { range: 'bytes=99-' })).status).toBe(416);
  });

  it('passes pages, dotfiles and unknown files on to SvelteKit', async () => {
    for (const path of ['/portfolio', '/.env', '/_app/immutable/entry/new.js']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.body.toString(), path).toContain('<title>Kit</title>');
    }
  });

  it('answers 404 for a file removed after start-up, and goes on serving the rest', async () => {
    rmSync(join(dir, 'robots.txt'));
    expect((await get('/robots.txt')).status).toBe(404);
    expect((await get('/favicon.svg')).status).toBe(200);
  });

  it('answers 500 for a file that cannot be opened for another reason, and goes on serving the rest', async () => {
    const start = join(dir, '_app', 'immutable', 'entry', 'start.js');
    rmSync(start);
    symlinkSync(start, start); // ELOOP
    expect((await get('/_app/immutable/entry/start.js')).status).toBe(500);
    expect((await get('/_app/version.json')).status).toBe(200);
  });
});

describe('a build loaded through loadWebApp', () => {
  // A build directory of the shape adapter-node writes: client/ and a handler.js whose handler
  // stands for SvelteKit (the real one is loaded by the browser tests, which run the built app).
  let build: string;
  let server: Server;
  const script = '/_app/immutable/entry/app.js';
  const get = (path: string, headers: OutgoingHttpHeaders = {}) => fetchRaw(server, path, headers);

  beforeAll(async () => {
    build = mkdtempSync(join(tmpdir(), 'tandem-build-'));
    mkdirSync(join(build, 'client', '_app', 'immutable', 'entry'), { recursive: true });
    writeFileSync(join(build, 'client', script), APP_JS);
    writeFileSync(join(build, 'client', `${script}.br`), brotliCompressSync(APP_JS));
    writeFileSync(join(build, 'client', 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(build, 'handler.js'), "export const handler = (req, res) => { res.statusCode = 418; res.end('kit'); };\n");
    // Vitest runs this file in a context of its own, where only its own import() works.
    server = await listen(await loadWebApp(build, (url) => import(/* @vite-ignore */ url)));
  });

  afterAll(async () => {
    server?.closeAllConnections();
    if (server) await new Promise((resolve) => server.close(resolve));
    if (build) rmSync(build, { recursive: true, force: true });
  });

  it('serves the built files itself, precompressed and cached, and pages through the handler', async () => {
    const res = await get(script, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('public,max-age=31536000,immutable');
    expect(brotliDecompressSync(res.body).toString()).toBe(APP_JS);
    expect((await get('/programs/QA')).status).toBe(418);
  });

  it('answers 404 for a built file removed after start-up (a deploy rebuilt it), and stays up', async () => {
    // With sirv serving them (before static-files.ts), the unhandled stream error here ended the process.
    rmSync(join(build, 'client', '_app', 'immutable'), { recursive: true });
    for (const encoding of ['gzip, deflate, br', 'gzip', '']) {
      const res = await get(script, { 'accept-encoding': encoding });
      expect(res.status, encoding).toBe(404);
    }
    expect((await get('/favicon.svg')).status).toBe(200);
  });
});
