import { describe, expect, it } from 'vitest';
import { dueOffsetLabel, durationLabel, startLabel, templateSpanDays, templateSummary } from './templates';

const milestone = (startOffsetDays: number, durationDays: number) => ({ title: 'M', workstream: null, startOffsetDays, durationDays });
const item = { title: 'I', ownerTeam: null, required: true, dueOffsetDays: -1 };

describe('program templates, as the new-program form describes them', () => {
  it('spans from the start to the end of the latest-ending milestone, not the last listed', () => {
    expect(templateSpanDays({ milestones: [milestone(0, 14), milestone(56, 63), milestone(98, 14)], checklist: [] })).toBe(119);
    expect(templateSpanDays({ milestones: [], checklist: [] })).toBe(0);
  });

  it('sums up milestones, span and checklist in one line', () => {
    expect(templateSummary({ milestones: [milestone(0, 14), milestone(112, 7)], checklist: [item, item, item] })).toBe(
      '2 milestones over 17 weeks · a go-live checklist of 3 items',
    );
    expect(templateSummary({ milestones: [milestone(0, 10)], checklist: [item] })).toBe('1 milestone over 10 days · a go-live checklist of 1 item');
    expect(templateSummary({ milestones: [], checklist: [] })).toBe('no milestones · no checklist');
  });

  it('words durations, starts and checklist due offsets', () => {
    expect([durationLabel(7), durationLabel(14), durationLabel(10), durationLabel(1), durationLabel(0)]).toEqual(['1 week', '2 weeks', '10 days', '1 day', '0 days']);
    expect([startLabel(0), startLabel(6), startLabel(7), startLabel(14)]).toEqual(['from the start', 'from week 1', 'from week 2', 'from week 3']);
    expect([dueOffsetLabel(-7), dueOffsetLabel(-3), dueOffsetLabel(0), dueOffsetLabel(2)]).toEqual([
      '1 week before go-live',
      '3 days before go-live',
      'on go-live day',
      '2 days after go-live',
    ]);
  });
});
