/**
 * Personal API tokens: the api calls (same conventions as `$lib/api`) and the few rules the
 * tokens page words them by. The api keeps no revoked tokens — revoking deletes one — so a token
 * is either usable or past its expiry.
 */
import type { RequestBodyOf, ResponseOf } from '@tandem/api-client';
import type { ApiTokenScope } from '@tandem/domain';
import { formatDate } from '$lib/format';
import { request, type Fetch } from '$lib/api';

export type ApiToken = ResponseOf<'/api/v1/tokens', 'get'>['items'][number];
/** A new token, with its secret (`token`): shown only in the answer that made it. */
export type CreatedApiToken = ResponseOf<'/api/v1/tokens', 'post'>;
export type NewApiToken = RequestBodyOf<'/api/v1/tokens', 'post'>;

export const listTokens = (f: Fetch) => request<ResponseOf<'/api/v1/tokens', 'get'>>(f, '/tokens');
export const createToken = (f: Fetch, body: NewApiToken) => request<CreatedApiToken>(f, '/tokens', { method: 'POST', body });
/** Requests and live connections using the token stop at once. */
export const revokeToken = (f: Fetch, id: string) => request<void>(f, `/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const SCOPE_LABELS: Record<ApiTokenScope, string> = { read: 'Read only', write: 'Read and write' };

/** How long a new token lasts: a few plain choices (the api takes 1–3650 days, or none). */
export const EXPIRY_CHOICES: readonly { value: string; days: number | null; label: string }[] = [
  { value: '7', days: 7, label: '7 days' },
  { value: '30', days: 30, label: '30 days' },
  { value: '90', days: 90, label: '90 days' },
  { value: '365', days: 365, label: '1 year' },
  { value: 'never', days: null, label: 'No expiry (until revoked)' },
];
export const DEFAULT_EXPIRY = '90';

const DAY_MS = 86_400_000;

/** Days of an expiry choice; null: never (or a choice the form does not offer). */
const daysOf = (expiry: string): number | null => EXPIRY_CHOICES.find((c) => c.value === expiry)?.days ?? null;

/** The request body for the form's values; the expiry choice becomes `expiresInDays` (left out: never). */
export function tokenRequest(name: string, scope: ApiTokenScope, expiry: string): NewApiToken {
  const days = daysOf(expiry);
  return days === null ? { name: name.trim(), scope } : { name: name.trim(), scope, expiresInDays: days };
}

/** The day a token made now with this expiry choice would stop working, or null for never. */
export function expiresOn(expiry: string, now: number = Date.now()): string | null {
  const days = daysOf(expiry);
  return days === null ? null : new Date(now + days * DAY_MS).toISOString();
}

export function isExpired(token: Pick<ApiToken, 'expiresAt'>, now: number = Date.now()): boolean {
  return token.expiresAt !== null && Date.parse(token.expiresAt) <= now;
}

/** "Never", "12 Mar 2027", or "Expired 12 Mar 2026". */
export function expiryLabel(token: Pick<ApiToken, 'expiresAt'>, now: number = Date.now()): string {
  if (token.expiresAt === null) return 'Never';
  return isExpired(token, now) ? `Expired ${formatDate(token.expiresAt)}` : formatDate(token.expiresAt);
}
