import { describe, expect, it } from 'vitest';
import { initials, personColorStyle, personColorVar } from './people';
import { statusText } from './status';

describe('people in a shared document', () => {
  it('makes initials from names', () => {
    expect(initials('Priya Manager')).toBe('PM');
    expect(initials('  quinn  ')).toBe('Q');
    expect(initials('Anna Maria de la Cruz')).toBe('AC');
    expect(initials('')).toBe('?');
  });

  it("gives carets their person's colour through a custom property, with nothing unsafe in it", () => {
    expect(personColorVar('1b2c-3d4e')).toBe('--person-1b2c-3d4e');
    expect(personColorVar('a;b}c')).toBe('--person-a_b_c');
    expect(personColorStyle([{ id: 'u1', color: '#0f6b4f' }, { id: 'u2', color: 'red; x: url(y)' }, { id: 'u3', color: '#1f4e8c' }])).toBe('--person-u1: #0f6b4f; --person-u3: #1f4e8c');
  });
});

describe('the save status in words', () => {
  const base = { status: 'saved' as const, unsaved: 0, loaded: true, unreachable: false, synced: true };

  it('says Saved only when the server confirmed everything', () => {
    expect(statusText(base)).toBe('Saved');
    expect(statusText({ ...base, status: 'unsaved-changes', unsaved: 2 })).toBe('Saving…');
    expect(statusText({ ...base, status: 'syncing' })).toBe('Syncing…');
    expect(statusText({ ...base, loaded: false })).toBe('Loading…');
  });

  it('counts what is not saved while offline', () => {
    expect(statusText({ ...base, status: 'offline', unsaved: 1 })).toBe('Offline — 1 change not yet saved');
    expect(statusText({ ...base, status: 'offline', unsaved: 3 })).toBe('Offline — 3 changes not yet saved');
    expect(statusText({ ...base, status: 'offline' })).toBe('Offline');
    // before the first connection has had a chance, it is still connecting
    expect(statusText({ ...base, status: 'offline', synced: false, unsaved: 1 })).toBe('Connecting…');
    expect(statusText({ ...base, status: 'offline', synced: false, unreachable: true, unsaved: 1 })).toBe('Offline — 1 change not yet saved');
  });

  it('tells someone who may only read whether they see the latest text', () => {
    // a local copy read at start counts as a change the read-only connection never sends
    expect(statusText({ ...base, status: 'unsaved-changes', unsaved: 1 }, true)).toBe('Up to date');
    expect(statusText(base, true)).toBe('Up to date');
    expect(statusText({ ...base, status: 'offline', unreachable: true }, true)).toBe('Offline');
    // but changes typed in this page before it became read-only are never sent: not "Up to date"
    expect(statusText({ ...base, status: 'unsaved-changes', unsaved: 20, changedHere: true }, true)).toBe('Read only — 20 changes not saved');
    expect(statusText({ ...base, status: 'offline', unreachable: true, unsaved: 1, changedHere: true }, true)).toBe('Read only — 1 change not saved');
  });
});
