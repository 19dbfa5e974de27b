import { describe, expect, it } from 'vitest';
import { lastAdminBlock, mayChange, mayCreatePrograms, programAbility, readsAllPrograms, removesActiveAdmin } from './roles.js';

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

describe('the last active admin', () => {
  const admin = { name: 'Ada', orgRole: 'admin' as const, active: true };
  it('counts demoting or deactivating an active admin as taking them out of the admins', () => {
    expect(removesActiveAdmin(admin, { orgRole: 'member' })).toBe(true);
    expect(removesActiveAdmin(admin, { active: false })).toBe(true);
    expect(removesActiveAdmin(admin, { orgRole: 'admin', active: true })).toBe(false);
    expect(removesActiveAdmin({ ...admin, active: false }, { orgRole: 'viewer' })).toBe(false);
    expect(removesActiveAdmin({ ...admin, orgRole: 'member' }, { active: false })).toBe(false);
  });
  it('refuses taking out the only active admin, naming them, and allows it while another remains', () => {
    expect(lastAdminBlock(admin, { orgRole: 'viewer' }, 1)).toMatch(/^Ada is the last active admin/);
    expect(lastAdminBlock(admin, { active: false }, 1)).toMatch(/last active admin/);
    expect(lastAdminBlock(admin, { orgRole: 'viewer' }, 2)).toBeNull();
    expect(lastAdminBlock(admin, { active: true }, 1)).toBeNull();
  });
});
