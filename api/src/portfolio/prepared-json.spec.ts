import { describe, expect, it } from 'vitest';
import { WholeAnswers } from './prepared-json';

describe('WholeAnswers', () => {
  it('finds an answer by day and key only, until it is too old', () => {
    let now = 0;
    const answers = new WholeAnswers<string>(4, 1000, () => now);
    answers.set('2026-11-26', 'f1', 'one');
    expect(answers.get('2026-11-26', 'f1')).toBe('one');
    expect(answers.get('2026-11-27', 'f1')).toBeUndefined();
    expect(answers.get('2026-11-26', 'f2')).toBeUndefined();
    now = 999;
    expect(answers.get('2026-11-26', 'f1')).toBe('one');
    now = 1000;
    expect(answers.get('2026-11-26', 'f1')).toBeUndefined();
  });

  it('keeps the most recently stored answers', () => {
    const answers = new WholeAnswers<number>(2, 1000, () => 0);
    answers.set('d', 'a', 1);
    answers.set('d', 'b', 2);
    answers.set('d', 'a', 3);
    answers.set('d', 'c', 4);
    expect(answers.get('d', 'b')).toBeUndefined();
    expect(answers.get('d', 'a')).toBe(3);
    expect(answers.get('d', 'c')).toBe(4);
  });
});
