import { describe, expect, it } from 'vitest';
import { OIDC_SIGN_IN_ERRORS, oidcCallbackQuerySchema, oidcSignInErrorMessage, safeReturnPath } from './auth.js';
import { parseWith } from './validation.js';

describe('safeReturnPath', () => {
  it.each(['/', '/programs', '/programs/QA?tab=raci#milestones', '/a//b', '/%2F%2Fevil.com'])('keeps the path %j', (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    '//evil.com',
    '///evil.com',
    'https://evil.com',
    '/\\evil.com',
    '/x\\y',
    '/\t/evil.com',
    '/\n/evil.com',
    'javascript:alert(1)',
    'programs',
    '',
    null,
    undefined,
    `/${'a'.repeat(2048)}`,
  ])('turns %j into /', (value) => {
    expect(safeReturnPath(value)).toBe('/');
  });
});

describe('oidcSignInErrorMessage', () => {
  it('shows the sentence for a known code, a general one for anything else, nothing without a code', () => {
    expect(oidcSignInErrorMessage('no_account')).toBe(OIDC_SIGN_IN_ERRORS.no_account);
    expect(oidcSignInErrorMessage('Your account is locked, call +1 555 0100')).toMatch(/^Single sign-on did not complete/);
    expect(oidcSignInErrorMessage('toString')).toMatch(/^Single sign-on did not complete/);
    expect(oidcSignInErrorMessage(null)).toBeNull();
  });
});

describe('oidcCallbackQuerySchema', () => {
  it('requires state, and lets the provider add parameters of its own', () => {
    expect(parseWith(oidcCallbackQuerySchema, { code: 'c' })).toEqual({ ok: false, errors: [{ field: 'state', reason: 'is required' }] });
    expect(parseWith(oidcCallbackQuerySchema, { state: 's', code: 'c', session_state: 'x' }).ok).toBe(true);
    expect(parseWith(oidcCallbackQuerySchema, { state: ['a', 'b'], code: 'c' })).toEqual({ ok: false, errors: [{ field: 'state', reason: 'must be a single text value' }] });
  });
});
