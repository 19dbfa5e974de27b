import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { CookieOptions, Request } from 'express';
import { z } from 'zod';

/**
 * A single sign-on in progress, kept in the browser between `/oidc/start` and `/oidc/callback`:
 * the state, nonce and PKCE verifier sent to the provider, where to go afterwards, and the
 * redirect URI the code was issued for. The cookie is sealed with AES-256-GCM under a key derived
 * from SESSION_SECRET, so it can be neither read nor changed (nor made) without the secret, and it
 * lasts ten minutes. It is HttpOnly, SameSite=Lax (a top-level GET back from the provider carries
 * it) and sent only to the sign-on routes.
 */
export const OIDC_COOKIE = 'tandem_oidc';
export const OIDC_COOKIE_PATH = '/api/v1/auth/oidc';
export const OIDC_TRANSACTION_SECONDS = 10 * 60;

const transactionSchema = z.object({
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  returnTo: z.string(),
  redirectUri: z.string(),
  expiresAt: z.number(),
});
export type OidcTransaction = z.output<typeof transactionSchema>;

export type OpenedTransaction = { ok: true; transaction: OidcTransaction } | { ok: false; reason: string };

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class OidcTransactionSeal {
  private readonly key: Buffer;

  constructor(sessionSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', sessionSecret, '', 'tandem oidc sign-in transaction', 32));
  }

  seal(transaction: OidcTransaction): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(VERSION));
    const body = Buffer.concat([cipher.update(JSON.stringify(transaction), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** The transaction in a cookie value, or why there is none to continue. */
  open(value: unknown, now = Date.now()): OpenedTransaction {
    if (typeof value !== 'string' || value === '') {
      return { ok: false, reason: 'no sign-in is in progress in this browser (it expires after 10 minutes, and cookies must be allowed); start again' };
    }
    const invalid = { ok: false, reason: 'the sign-in cookie is not valid; start again' } as const;
    const [version, sealed] = value.split('.');
    if (version !== VERSION || !sealed) return invalid;
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return invalid;
    let parsed: unknown;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES)).setAAD(Buffer.from(VERSION));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      parsed = JSON.parse(Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8'));
    } catch {
      return invalid;
    }
    const transaction = transactionSchema.safeParse(parsed);
    if (!transaction.success) return invalid;
    if (transaction.data.expiresAt <= now) return { ok: false, reason: 'the sign-in took longer than 10 minutes; start again' };
    return { ok: true, transaction: transaction.data };
  }
}

export function oidcCookieOptions(req: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: OIDC_COOKIE_PATH };
}
