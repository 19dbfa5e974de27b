import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '../config/config';

/**
 * Security headers on every response (helmet), and a Content-Security-Policy for what the api
 * answers itself. The web app's pages get theirs from SvelteKit (`kit.csp` in web/svelte.config.js,
 * with nonces for its own scripts), so none is set here for them.
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI at /api/docs: its own scripts and styles, the OpenAPI document fetched from here. */
const API_DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const HSTS = 'max-age=31536000';
const API_PATHS = /^\/(api|health|metrics)(\/|$)/;
const API_DOCS = /^\/api\/docs(\/|$)/;

export function securityHeaders(config: AppConfig): RequestHandler[] {
  const base = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
    // Not `no-referrer`: with it, browsers send `Origin: null` on same-origin writes, and the CSRF check needs the origin.
    referrerPolicy: { policy: 'same-origin' },
  });
  const extra = (req: Request, res: Response, next: NextFunction) => {
    // Behind TLS-terminating proxy, req.secure is true only when TRUST_PROXY lets X-Forwarded-Proto count.
    if (config.hsts === 'always' || (config.hsts === 'auto' && config.trustProxy && req.secure)) res.setHeader('Strict-Transport-Security', HSTS);
    // A route may set a narrower or different policy itself (the HTML export does).
    if (API_PATHS.test(req.path)) res.setHeader('Content-Security-Policy', API_DOCS.test(req.path) ? API_DOCS_CSP : API_CSP);
    next();
  };
  return [base, extra];
}
