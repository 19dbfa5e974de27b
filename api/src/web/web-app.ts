import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants } from 'node:zlib';
import compression from 'compression';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Paths the api answers itself; everything else is the web app. */
const API_PATHS = /^\/(api|health|socket\.io)(\/|$)/;

/**
 * Loads the built SvelteKit app (adapter-node's `handler.js`) so one port serves both, with
 * server-side rendering intact. The web's server-side fetches to /api come back to this process
 * through TANDEM_INTERNAL_ORIGIN.
 */
export async function loadWebApp(buildDir: string): Promise<RequestHandler> {
  // adapter-node reads these once, at import. Without them it takes every request for https; with
  // them it takes the scheme Express worked out (TRUST_PROXY decides whether X-Forwarded-Proto counts).
  process.env.PROTOCOL_HEADER ??= 'x-tandem-proto';
  // A real dynamic import: handler.js is ESM and must not be turned into require() by tsc.
  const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<{ handler: RequestHandler }>;
  const { handler } = await importEsm(pathToFileURL(join(buildDir, 'handler.js')).href);
  return serveWebApp(handler);
}

/** The SvelteKit handler for every path that is not the api's. */
export function serveWebApp(handler: RequestHandler): RequestHandler {
  // Pages are rendered per request and go out compressed (brotli or gzip, as the browser accepts).
  // The built assets are compressed at build time (adapter-node's precompress) and served with
  // their Content-Encoding, which compression leaves alone. Every write is flushed, so a page
  // that streams (promises in a load) still arrives piece by piece.
  const compress = compression({ flush: constants.Z_SYNC_FLUSH, brotli: { flush: constants.BROTLI_OPERATION_FLUSH } });
  return (req: Request, res: Response, next: NextFunction) => {
    if (API_PATHS.test(req.path)) return next();
    req.headers['x-tandem-proto'] = req.protocol;
    return compress(req, res, () => handler(req, res, next));
  };
}
