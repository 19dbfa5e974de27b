import { Logger } from '@nestjs/common';
import { createReadStream, readdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Built files for one URL path: the file itself and the precompressed copies beside it. */
interface Asset {
  file: string;
  /** extension of the uncompressed name, for the Content-Type */
  ext: string;
  encodings: Array<'br' | 'gzip'>;
}

const SUFFIX = { br: '.br', gzip: '.gz' } as const;
/** Open errors that pass by themselves (too many open files, out of memory): worth a retry. */
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'ENOMEM']);

/**
 * Serves the web build's `client` directory (what adapter-node's sirv would serve) with the same
 * headers: the `.br`/`.gz` copy the browser accepts, Content-Encoding, Vary, a weak ETag from size
 * and mtime with 304, a year's immutable caching under `immutablePrefix`, HEAD and one byte range.
 *
 * sirv pipes a read stream with no 'error' listener, so a listed file that cannot be opened at
 * request time (a deploy rebuilt the directory, EMFILE under load) exits the whole process. Here
 * each file is opened before any header is written: gone is a 404, other errors a 503 or 500, and
 * the headers come from the opened file, not from the listing. Paths that are not in the listing
 * (taken at start-up, as sirv does) go on to `next`.
 */
export function serveStaticFiles(clientDir: string, immutablePrefix: string): RequestHandler {
  const assets = listAssets(clientDir);
  return (req: Request, res: Response, next: NextFunction) => {
    let path = req.path;
    try {
      path = decodeURI(path);
    } catch {
      // a malformed path is simply not one of ours
    }
    const asset = assets.get(path);
    if (!asset) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // sirv would send the file for any method; a file has nothing to do with a POST
      res.status(405).setHeader('Allow', 'GET, HEAD');
      res.end();
      return;
    }
    send(req, res, asset, path.startsWith(immutablePrefix)).catch((error: NodeJS.ErrnoException) => {
      if (res.headersSent) res.destroy(error);
      else refuse(res, error, asset.file);
    });
  };
}

async function send(req: Request, res: Response, asset: Asset, immutable: boolean): Promise<void> {
  const accepted = req.headers['accept-encoding'] ?? '';
  const encoding = asset.encodings.find((e) => (e === 'br' ? /\b(br|brotli)\b/i : /\bgzip\b/i).test(accepted));
  let handle: FileHandle;
  try {
    handle = await open(encoding ? asset.file + SUFFIX[encoding] : asset.file, 'r');
  } catch (error) {
    return refuse(res, error as NodeJS.ErrnoException, asset.file);
  }
  let streaming = false;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return refuse(res, Object.assign(new Error('not a file'), { code: 'ENOENT' }), asset.file);
    const etag = `W/"${stats.size}-${stats.mtime.getTime()}"`;
    res.vary('Accept-Encoding');
    res.setHeader('ETag', etag);
    if (immutable) res.setHeader('Cache-Control', 'public,max-age=31536000,immutable');
    if (matches(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    res.type(asset.ext); // Express's table (mime-types), with a charset for text
    res.setHeader('Last-Modified', stats.mtime.toUTCString());
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.setHeader('Accept-Ranges', 'bytes');
    const range = byteRange(req.headers.range, stats.size);
    if (range === 'unsatisfiable') {
      res.status(416).setHeader('Content-Range', `bytes */${stats.size}`);
      res.end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: stats.size - 1 };
    if (range) res.status(206).setHeader('Content-Range', `bytes ${start}-${end}/${stats.size}`);
    res.setHeader('Content-Length', end - start + 1);
    if (req.method === 'HEAD' || stats.size === 0) {
      res.end();
      return;
    }
    streaming = true;
    // A read error once the headers are out can only cut the response short: pipeline destroys it.
    pipeline(createReadStream('', { fd: handle, start, end }), res, () => undefined);
  } finally {
    if (!streaming) await handle.close();
  }
}

function refuse(res: Response, error: NodeJS.ErrnoException, file: string): void {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
    res.status(404).end();
  } else if (error.code && TRANSIENT.has(error.code)) {
    Logger.warn(`Cannot open ${file} now (${error.code})`, 'Web');
    res.status(503).setHeader('Retry-After', '1');
    res.end();
  } else {
    Logger.error(`Cannot open ${file} (${error.code ?? error.message})`, 'Web');
    res.status(500).end();
  }
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag.slice(2));
}

/** One range (`a-b`, `a-`, `-n`); anything else (several ranges, garbage) is answered whole. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const match = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(size - Number(match[2]), 0);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Every file under `dir` by URL path; a `.br`/`.gz` beside its original is an encoding of it. */
function listAssets(dir: string): Map<string, Asset> {
  const files = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const name = relative(dir, join(entry.parentPath, entry.name));
    // sirv's rule: no dotfiles except under .well-known
    if (/(^|[\\/])\./.test(name.replace(/(^|[\\/])\.well-known[\\/]/, '$1'))) continue;
    files.add(name);
  }
  const assets = new Map<string, Asset>();
  for (const name of files) {
    const original = name.replace(/\.(br|gz)$/, '');
    if (original !== name && files.has(original)) continue; // listed with its original
    const file = join(dir, name);
    const asset: Asset = {
      file,
      ext: extname(name),
      encodings: (['br', 'gzip'] as const).filter((e) => files.has(name + SUFFIX[e])),
    };
    assets.set('/' + name.split(sep).join('/'), asset);
  }
  return assets;
}
