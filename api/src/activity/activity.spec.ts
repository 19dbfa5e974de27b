import { describe, expect, it } from 'vitest';
import { changedFieldWords, diffFields } from './changes';

describe('diffFields', () => {
  it('records only fields that changed, with before and after', () => {
    const before = { title: 'Pilot', dueDate: '2026-05-01', owner: { id: 'u1' }, status: 'not_started' };
    expect(diffFields(before, { title: 'Pilot', dueDate: '2026-05-08', owner: { id: 'u2' } }, ['title', 'dueDate', 'owner', 'status'])).toEqual({
      dueDate: { before: '2026-05-01', after: '2026-05-08' },
      owner: { before: 'u1', after: 'u2' },
    });
  });

  it('treats undefined and null alike and compares arrays by content', () => {
    expect(diffFields({ a: null as string | null, b: ['x'] }, { a: undefined, b: ['x'] }, ['a', 'b'])).toEqual({});
  });
});

describe('changedFieldWords', () => {
  it('names the changed fields in words, each once, in the order they changed', () => {
    const change = { before: null, after: 'x' };
    expect(changedFieldWords({ name: change, targetDate: change, plannedGoLive: change, ownerTeam: change, ownerUser: change, dueOffsetDays: change })).toBe(
      'name, target date, planned go-live, owning team, owner, due date offset',
    );
  });
});
