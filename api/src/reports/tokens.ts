import { createHmac, randomBytes } from 'node:crypto';

/**
 * Secrets that stand in for a sign-in (share links, calendar feeds): 32 random bytes, shown once.
 * Only HMAC(SESSION_SECRET, token) is stored — the sessions' pattern — so a copy of the database
 * opens nothing.
 */
export const newSecretToken = (): string => randomBytes(32).toString('base64url');

export const hashSecretToken = (secret: string, token: string): string => createHmac('sha256', secret).update(token).digest('base64url');

/** Anything not shaped like a token names nothing: no query needed. */
export const looksLikeSecretToken = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);
