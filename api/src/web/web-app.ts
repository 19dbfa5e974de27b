import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants } from 'node:zlib';
import compression from 'compression';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { serveStaticFiles } from './static-files';

/** Paths the api answers itself; everything else is the web app. */
const API_PATHS = /^\/(api|health|socket\.io)(\/|$)/;
/** Kit's default `appDir` (svelte.config.js keeps it): hashed file names, cached for a year. */
const IMMUTABLE = '/_app/immutable/';

/** A real dynamic import: handler.js is ESM and must not be turned into require() by tsc. */
const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

/**
 * Loads the built SvelteKit app (adapter-node's `handler.js`) so one port serves both, with
 * server-side rendering intact. The web's server-side fetches to /api come back to this process
 * through TANDEM_INTERNAL_ORIGIN.
 */
export async function loadWebApp(buildDir: string, importModule = importEsm): Promise<RequestHandler> {
  // adapter-node reads these once, at import. Without them it takes every request for https; with
  // them it takes the scheme Express worked out (TRUST_PROXY decides whether X-Forwarded-Proto counts).
  process.env.PROTOCOL_HEADER ??= 'x-tandem-proto';
  const { handler } = (await importModule(pathToFileURL(join(buildDir, 'handler.js')).href)) as { handler: RequestHandler };
  // The built assets are ours to serve: the sirv inside handler.js exits the process when a file
  // it listed cannot be read (see static-files.ts). It still sees whatever is not in build/client.
  return serveWebApp(handler, serveStaticFiles(join(buildDir, 'client'), IMMUTABLE));
}

/** The built assets, then the SvelteKit handler, for every path that is not the api's. */
export function serveWebApp(handler: RequestHandler, assets?: RequestHandler): RequestHandler {
  // Pages are rendered per request and go out compressed (brotli or gzip, as the browser accepts).
  // The built assets are compressed at build time (adapter-node's precompress) and served with
  // their Content-Encoding, which compression leaves alone. Every write is flushed, so a page
  // that streams (promises in a load) still arrives piece by piece.
  const compress = compression({ flush: constants.Z_SYNC_FLUSH, brotli: { flush: constants.BROTLI_OPERATION_FLUSH } });
  return (req: Request, res: Response, next: NextFunction) => {
    if (API_PATHS.test(req.path)) return next();
    req.headers['x-tandem-proto'] = req.protocol;
    const kit = () => handler(req, res, next);
    return compress(req, res, assets ? () => assets(req, res, kit) : kit);
  };
}
