import { describe, expect, it } from 'vitest';
import { activityField, activityValue } from './activity-format';

describe('activity values', () => {
  it('names the checklist items a wave went live over by title and state, not as JSON', () => {
    // what the api records as the blockers of a wave taken live over open items
    const blockers = [
      { id: 'afe997f4-291d-4c3e-8c7b-0e1a18501d30', owner: { id: '8391e228-6e06-44f9-b821-f9ae721782ae', name: 'Support Operations', type: 'team' }, state: 'todo', title: 'Training done' },
      { id: '80de4625-9217-4cc3-b0cf-384b8c35c714', owner: null, state: 'blocked', title: 'Macros updated' },
    ];
    expect(activityValue(blockers, {})).toBe('Training done (To do), Macros updated (Blocked)');
    expect(activityValue({ id: '8391e228-6e06-44f9-b821-f9ae721782ae', name: 'Support Operations' }, {})).toBe('Support Operations');
  });

  it('shows ids by the names it knows, dates as dates, and nothing as a dash', () => {
    const id = '83B20920-0000-4000-8000-000000000001';
    expect(activityValue(id, { [id.toLowerCase()]: 'Quality Assurance' })).toBe('Quality Assurance');
    expect(activityValue(id, {})).toBe('#83B20920');
    expect(activityValue('2027-04-15', {})).toBe('15 Apr 2027');
    expect(activityValue(null, {})).toBe('—');
    expect(activityValue([], {})).toBe('none');
    expect(activityValue('not_started', {})).toBe('not started');
    expect(activityField('plannedGoLive')).toBe('Planned go live');
    expect(activityField('ownerId')).toBe('Owner');
  });
});
