import { describe, expect, it } from 'vitest';
import { deactivationDone, deactivationQuestion, reactivationDone } from './people';

describe('what deactivating someone does, in words', () => {
  it('names the sign-ins and the tokens before, and that reactivation does not bring tokens back', () => {
    expect(deactivationQuestion('Sam', { sessions: 2, apiTokens: 2, calendarFeed: true })).toBe(
      'Deactivating Sam signs them out everywhere (signed in on 2 browsers or devices now) and revokes their 2 API tokens for good. ' +
        'Reactivating Sam later lets them sign in again, but the tokens stay revoked. Their calendar feed stops until they are reactivated. ' +
        'Their programs, milestones and documents stay as they are.',
    );
    expect(deactivationQuestion('Sam', { sessions: 0, apiTokens: 1, calendarFeed: false })).toContain('signs them out everywhere and revokes their API token for good');
    expect(deactivationQuestion('Sam', { sessions: 1, apiTokens: 0, calendarFeed: false })).toContain('(signed in on 1 browser or device now). They have no API tokens.');
  });

  it('says after what was ended', () => {
    expect(deactivationDone('Sam', { sessions: 1, apiTokens: 2 })).toBe('Deactivated Sam: signed out of 1 session, revoked their 2 API tokens for good.');
    expect(deactivationDone('Sam', { sessions: 0, apiTokens: 0 })).toBe('Deactivated Sam: signed out of 0 sessions, they had no API tokens.');
    expect(reactivationDone('Sam')).toMatch(/stay revoked/);
  });
});
