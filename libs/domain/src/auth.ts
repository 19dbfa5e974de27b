import { z } from 'zod';
import { plainString, storable } from './schemas.js';

/**
 * Single sign-on (OpenID Connect) rules shared by the api and the web: where a sign-in may return
 * to, what the sign-in routes accept, and what each refusal tells the person.
 */

/** Any control character (browsers drop tabs and newlines from URLs: `/\t/evil.com` is `//evil.com`) or a backslash (`/\evil.com`). */
const UNSAFE_PATH_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/**
 * `value` when it is a path on this site — one `/`, then anything that keeps the browser here —
 * and `/` otherwise: `//evil.com`, `/\evil.com`, `https://evil.com`, `javascript:…` all become `/`.
 */
export function safeReturnPath(value: string | null | undefined): string {
  if (typeof value !== 'string' || value.length > 2048) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || UNSAFE_PATH_CHARACTERS.test(value)) return '/';
  return value;
}

/** A text parameter that must be there: a missing one is 'is required', not a type error. */
const requiredText = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a single text value') })
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine(storable, 'must not contain NUL or malformed characters');

/** `GET /auth/oidc/start?returnTo=` — any value is accepted; one that would leave the site becomes `/`. */
export const oidcStartQuerySchema = z.strictObject({
  returnTo: plainString(2048).optional(),
});
export type OidcStartQuery = z.output<typeof oidcStartQuerySchema>;

/**
 * The provider's redirect back: `state` always; then `code`, or `error` (with a description). Not
 * strict, unlike every other schema: providers add parameters of their own (`iss`, `session_state`).
 */
export const oidcCallbackQuerySchema = z.looseObject({
  state: requiredText(1024),
  code: plainString(4096).optional(),
  error: plainString(256).optional(),
  error_description: plainString(1024).optional(),
  iss: plainString(2048).optional(),
});
export type OidcCallbackQuery = z.output<typeof oidcCallbackQuerySchema>;

/**
 * Why a single sign-on ended on the sign-in page (`/login?error=<code>`). Only the code travels in
 * the URL; the page shows the text from here, so a crafted link cannot put words on the page.
 */
export const OIDC_SIGN_IN_ERRORS = {
  no_account:
    'No Tandem account uses the email address your identity provider gave. Ask an administrator to add you, or sign in with your password.',
  account_deactivated: 'Your Tandem account is deactivated. Ask an administrator if you need access again.',
  email_missing: 'Your identity provider did not share your email address, which Tandem needs to find your account.',
  email_unverified: 'Your identity provider has not verified your email address. Verify it there, then sign in again.',
  identity_conflict: 'Your Tandem account is already linked to a different identity at your provider. Ask an administrator for help.',
  cancelled: 'Single sign-on was cancelled at your identity provider. You can try again or sign in with your password.',
  provider_error: 'Your identity provider could not sign you in. Try again, or sign in with your password.',
  invalid_response: 'The answer from your identity provider could not be verified, so you were not signed in. Try again.',
} as const;
export type OidcSignInError = keyof typeof OIDC_SIGN_IN_ERRORS;

const GENERIC_SIGN_IN_ERROR = 'Single sign-on did not complete. Try again, or sign in with your password.';

/** The text for `/login?error=<code>`: null without a code, a general sentence for a code it does not know. */
export function oidcSignInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return Object.hasOwn(OIDC_SIGN_IN_ERRORS, code) ? OIDC_SIGN_IN_ERRORS[code as OidcSignInError] : GENERIC_SIGN_IN_ERROR;
}
