import { describe, expect, it } from 'vitest';
import { grouped, matches, programsToSearch, search, type ProgramChildren } from './palette-search';

const programs = Array.from({ length: 14 }, (_, i) => ({ id: `p${i}`, key: `K${i}`, name: `Program ${i}` }));
programs.push({ id: 'qa', key: 'QA', name: 'QA program rollout' });

describe('palette search', () => {
  it('matches every word in any order, ignoring case and accents', () => {
    expect(matches('Wave 1 go-live (Manila, Kraków)', 'krakow wave')).toBe(true);
    expect(matches('QA rollout plan', 'plan retro')).toBe(false);
  });

  it('searches milestones and docs in the current program first, then named ones, at most ten', () => {
    const picked = programsToSearch(programs, 'qa', 'K3');
    expect(picked.map((p) => p.key).slice(0, 2)).toEqual(['K3', 'QA']);
    expect(picked).toHaveLength(10);
  });

  it('finds programs, milestones and docs, grouped, with links', () => {
    const children = new Map<string, ProgramChildren>([
      ['qa', { milestones: [{ id: 'm1', title: 'Calibration sessions', dueDate: '2026-12-02' }], docs: [{ id: 'd1', kind: 'plan', title: 'QA rollout plan' }] }],
    ]);
    const items = search('rollout', programs, children);
    expect(items.map((i) => i.group)).toEqual(['Programs', 'Plans and retros']);
    expect(items[1]?.href).toBe('/programs/QA/docs/d1');
    expect(search('calib', programs, children)[0]?.href).toBe('/programs/QA/milestones#milestone-m1');
    expect(grouped(search('', programs, children)).map((g) => g.group)).toEqual(['Pages', 'Programs']);
    expect(search('token', programs, children).map((i) => i.href)).toEqual(['/me/tokens']);
  });
});
