import { describe, expect, it } from 'vitest';
import { splitSites } from './api';

describe('splitSites', () => {
  it('splits on commas, trims each site and drops blanks', () => {
    expect(splitSites(' Manila, Kraków ,,  ,Lisbon ')).toEqual(['Manila', 'Kraków', 'Lisbon']);
  });

  it('gives no sites for an empty or blank input', () => {
    expect(splitSites('')).toEqual([]);
    expect(splitSites(' , ')).toEqual([]);
  });

  it('keeps spaces inside a site', () => {
    expect(splitSites('Team North, São Paulo')).toEqual(['Team North', 'São Paulo']);
  });
});
