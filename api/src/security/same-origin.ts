import type { IncomingHttpHeaders } from 'node:http';
import type { AppConfig } from '../config/config';

/**
 * Where a browser request came from, by its Origin header (or, without one, its Referer):
 * 'same' — the app's own origin (PUBLIC_ORIGIN when set; otherwise the host the request was
 * sent to, which is what a browser on the app's own pages uses); 'cross' — any other site,
 * including the opaque `null` origin; 'unknown' — neither header, which browsers always send on
 * cross-site writes and websocket handshakes, so such a request comes from a script or a server
 * (the web app's own server-side fetches, for one), not from a page on another site.
 */
export type RequestSite = 'same' | 'cross' | 'unknown';

type OriginRule = Pick<AppConfig, 'publicOrigin' | 'trustProxy'>;

export function requestSite(rule: OriginRule, headers: IncomingHttpHeaders): RequestSite {
  const source = first(headers.origin) ?? refererOrigin(first(headers.referer));
  if (source === undefined) return 'unknown';
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return 'cross';
  }
  if (url.origin === 'null') return 'cross';
  if (rule.publicOrigin) return url.origin === rule.publicOrigin ? 'same' : 'cross';
  const host = (rule.trustProxy ? first(headers['x-forwarded-host'])?.split(',')[0]?.trim() : undefined) ?? first(headers.host);
  if (!host) return 'cross';
  return normalHost(host, url.protocol) === url.host ? 'same' : 'cross';
}

/** The request carries the session cookie (so a browser attached it by itself). */
export function carriesSessionCookie(headers: IncomingHttpHeaders, cookieName: string): boolean {
  const cookie = first(headers.cookie);
  return Boolean(cookie && cookie.split(';').some((part) => part.trim().startsWith(`${cookieName}=`)));
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

/** `Host: example.com:443` names the same origin as `https://example.com`. */
function normalHost(host: string, protocol: string): string {
  const lower = host.toLowerCase();
  if (protocol === 'https:' && lower.endsWith(':443')) return lower.slice(0, -4);
  if (protocol === 'http:' && lower.endsWith(':80')) return lower.slice(0, -3);
  return lower;
}
