import { createApiTokenSchema, parseWith } from '@tandem/domain';
import { describe, expect, it } from 'vitest';
import { EXPIRY_CHOICES, expiresOn, expiryLabel, isExpired, tokenRequest } from './tokens';

const NOW = Date.parse('2026-11-26T12:00:00Z');

describe('API token rules on the tokens page', () => {
  it('asks for a trimmed name and the chosen expiry in days, leaving it out for no expiry', () => {
    expect(tokenRequest('  CI script ', 'read', '30')).toEqual({ name: 'CI script', scope: 'read', expiresInDays: 30 });
    expect(tokenRequest('Importer', 'write', 'never')).toEqual({ name: 'Importer', scope: 'write' });
  });

  it('offers only expiries the api accepts', () => {
    for (const c of EXPIRY_CHOICES) expect(parseWith(createApiTokenSchema, tokenRequest('x', 'read', c.value)).ok, c.label).toBe(true);
  });

  it('says when a new token would stop working', () => {
    expect(expiresOn('7', NOW)).toBe('2026-12-03T12:00:00.000Z');
    expect(expiresOn('never', NOW)).toBeNull();
  });

  it('words expiry: never, the day, or expired — expired from the very instant', () => {
    expect(expiryLabel({ expiresAt: null }, NOW)).toBe('Never');
    expect(expiryLabel({ expiresAt: '2026-12-26T12:00:00Z' }, NOW)).toBe('26 Dec 2026');
    expect(expiryLabel({ expiresAt: '2026-11-20T08:00:00Z' }, NOW)).toBe('Expired 20 Nov 2026');
    expect(isExpired({ expiresAt: '2026-11-26T12:00:00Z' }, NOW)).toBe(true);
    expect(isExpired({ expiresAt: '2026-11-26T12:00:01Z' }, NOW)).toBe(false);
    expect(isExpired({ expiresAt: null }, NOW)).toBe(false);
  });
});
