import { describe, expect, it } from 'vitest';
import { deactivationDone, deactivationQuestion, findPeople, peopleCount, reactivationDone, type Person } from './people';

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

describe('finding people', () => {
  const person = (name: string, email: string, active = true): Person =>
    ({ id: email, name, email, orgRole: 'member', active, createdAt: '2026-01-01T00:00:00.000Z', deactivatedAt: active ? null : '2026-02-01T00:00:00.000Z' }) as Person;
  const people = [person('Ada Lovelace', 'ada@example.test'), person('Sam Okafor', 'sam@okafor.test', false), person('Samira Haddad', 'samira@example.test')];

  it('matches every word against name or email, in any case, and keeps deactivated people apart', () => {
    const found = findPeople(people, '  SAM ');
    expect(found.active.map((p) => p.name)).toEqual(['Samira Haddad']);
    expect(found.deactivated.map((p) => p.name)).toEqual(['Sam Okafor']);
    expect(findPeople(people, 'sam okafor.test').deactivated.map((p) => p.name)).toEqual(['Sam Okafor']);
    expect(findPeople(people, '').active).toHaveLength(2);
  });

  it('counts what it shows', () => {
    expect(peopleCount(findPeople(people, ''), 3, '')).toBe('3 people: 2 active, 1 deactivated.');
    expect(peopleCount(findPeople(people, 'sam'), 3, 'sam')).toBe('2 of 3 people match “sam”: 1 active, 1 deactivated.');
    expect(peopleCount(findPeople(people, 'zed'), 3, 'zed ')).toBe('No one of 3 people matches “zed”.');
  });
});
