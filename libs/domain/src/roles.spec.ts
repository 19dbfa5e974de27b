import { describe, expect, it } from 'vitest';
import { mayChange, mayCreatePrograms, programAbility, readsAllPrograms } from './roles.js';

describe('programAbility', () => {
  it('gives org admins full control of every program', () => {
    expect(programAbility('admin', null)).toEqual({ read: true, write: true, manage: true });
  });

  it('lets leadership (org viewer) read everything and write nothing, even as a program owner', () => {
    expect(programAbility('viewer', null)).toEqual({ read: true, write: false, manage: false });
    expect(programAbility('viewer', 'owner')).toEqual({ read: true, write: false, manage: false });
  });

  it('gives members what their program role says', () => {
    expect(programAbility('member', 'owner')).toEqual({ read: true, write: true, manage: true });
    expect(programAbility('member', 'editor')).toEqual({ read: true, write: true, manage: false });
    expect(programAbility('member', 'viewer')).toEqual({ read: true, write: false, manage: false });
  });

  it('gives members nothing on programs they do not belong to', () => {
    expect(programAbility('member', null)).toEqual({ read: false, write: false, manage: false });
  });
});

describe('org-wide rules', () => {
  it('lets admins and viewers see all programs, members only theirs', () => {
    expect([readsAllPrograms('admin'), readsAllPrograms('viewer'), readsAllPrograms('member')]).toEqual([true, true, false]);
  });
  it('lets admins and members create programs, not viewers', () => {
    expect([mayCreatePrograms('admin'), mayCreatePrograms('member'), mayCreatePrograms('viewer')]).toEqual([true, true, false]);
  });
});

describe('mayChange', () => {
  const owner = programAbility('member', 'owner');
  it('follows the ability while the program is live', () => {
    expect(mayChange({ ability: owner, archivedAt: null })).toBe(true);
    expect(mayChange({ ability: programAbility('member', 'editor'), archivedAt: null }, 'manage')).toBe(false);
    expect(mayChange({ ability: programAbility('member', 'viewer'), archivedAt: null })).toBe(false);
  });
  it('is false for everyone, admins too, once the program is archived', () => {
    expect(mayChange({ ability: owner, archivedAt: '2026-11-20T10:00:00.000Z' })).toBe(false);
    expect(mayChange({ ability: programAbility('admin', null), archivedAt: new Date() }, 'manage')).toBe(false);
  });
});
