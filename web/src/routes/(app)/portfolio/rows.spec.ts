import { describe, expect, it } from 'vitest';
import { compareNames, entryOf, filterRows, overdueLines, readView, slipText, sortRows, viewQuery, DEFAULT_VIEW, type PortfolioRow, type WaveCompletion, type WaveStatus } from './rows';

type Overdue = Pick<PortfolioRow['signals'], 'overdueGoLives' | 'overdueMilestones' | 'overdueChecklistItems'>;

function buildRow(key: string, overrides: { overdue?: Partial<Overdue>; reported?: PortfolioRow['reported']; slip?: number; baselined?: boolean; days?: number | null; due?: string | null; team?: string; owner?: string; checklist?: WaveCompletion[] } = {}): PortfolioRow {
  return {
    program: { id: `id-${key}`, key, name: `${key} program`, status: 'active' },
    owner: { id: overrides.owner ?? 'o1', name: overrides.owner === 'o2' ? 'Bea' : 'Al' },
    team: overrides.team ? { id: overrides.team, name: overrides.team } : null,
    reported: overrides.reported === undefined ? { health: 'on_track', at: '2026-01-01T00:00:00Z' } : overrides.reported,
    computed: { health: 'on_track', reasons: [] },
    signals: {
      overdueMilestones: 0,
      overdueGoLives: [],
      overdueChecklistItems: 0,
      ...overrides.overdue,
      baselined: overrides.baselined ?? true,
      maxSlipDays: overrides.slip ?? 0,
      totalSlipDays: overrides.slip ?? 0,
      checklist: overrides.checklist ?? [],
      raciViolations: 0,
      daysSinceLastUpdate: overrides.days === undefined ? 1 : overrides.days,
      stale: false,
    },
    nextMilestone: overrides.due ? { id: `m-${key}`, title: 'M', dueDate: overrides.due } : null,
    milestonesDone: { done: 0, total: 0, percent: 0 },
    trend: [],
  };
}

const wave = (id: string, percent: number, status: WaveStatus = 'planned', total = 100): WaveCompletion => ({
  waveId: id,
  waveName: id,
  status,
  closed: total ? percent : 0,
  total,
  percent: total ? percent : 100,
  overdueItems: 0,
});

describe('portfolio view in the query string', () => {
  it('reads what it writes, leaving defaults out', () => {
    const view = { team: 't1', health: 'none' as const, owner: null, sort: 'slip' as const, dir: 'descending' as const };
    expect(readView(new URLSearchParams(viewQuery(view)))).toEqual(view);
    expect(viewQuery(DEFAULT_VIEW)).toBe('');
  });

  it('ignores values it does not know', () => {
    expect(readView(new URLSearchParams('health=great&sort=colour&dir=up'))).toEqual(DEFAULT_VIEW);
  });
});

describe('filterRows', () => {
  const rows = [buildRow('A', { team: 'ops' }), buildRow('B', { reported: null, owner: 'o2' }), buildRow('C', { reported: { health: 'at_risk', at: '2026-01-01' } })];
  it('narrows by team, owner and reported health, "none" meaning never reported', () => {
    expect(filterRows(rows, { ...DEFAULT_VIEW, team: 'ops' }).map((r) => r.program.key)).toEqual(['A']);
    expect(filterRows(rows, { ...DEFAULT_VIEW, owner: 'o2' }).map((r) => r.program.key)).toEqual(['B']);
    expect(filterRows(rows, { ...DEFAULT_VIEW, health: 'none' }).map((r) => r.program.key)).toEqual(['B']);
    expect(filterRows(rows, { ...DEFAULT_VIEW, health: 'at_risk' }).map((r) => r.program.key)).toEqual(['C']);
  });
});

describe('sortRows', () => {
  const rows = [buildRow('B', { slip: 10, due: '2026-03-01', days: null }), buildRow('A', { slip: 20, days: 3 }), buildRow('C', { slip: 0, due: '2026-02-01', days: 40 })];
  const keys = (r: PortfolioRow[]) => r.map((x) => x.program.key);

  it('sorts numbers both ways, ties by key', () => {
    expect(keys(sortRows(rows, 'slip', 'ascending'))).toEqual(['C', 'B', 'A']);
    expect(keys(sortRows(rows, 'slip', 'descending'))).toEqual(['A', 'B', 'C']);
  });

  it('puts rows without a value last either way', () => {
    expect(keys(sortRows(rows, 'next', 'ascending'))).toEqual(['C', 'B', 'A']);
    expect(keys(sortRows(rows, 'next', 'descending'))).toEqual(['B', 'C', 'A']);
  });

  it('treats "never updated" as the oldest update', () => {
    expect(keys(sortRows(rows, 'updated', 'descending'))).toEqual(['B', 'C', 'A']);
  });
});

describe('the current wave', () => {
  it('is the first wave not live, from the statuses the signals carry, whatever its checklist says', () => {
    // Pilot went live over an open item (an override): the rollout is on Wave 1
    const row = buildRow('A', { checklist: [wave('pilot', 90, 'live'), wave('w1', 100, 'in_progress'), wave('ga', 0)] });
    expect(entryOf(row)).toMatchObject({ wave: { waveId: 'w1' }, position: 2 });
    const done = buildRow('B', { checklist: [wave('pilot', 100, 'live'), wave('ga', 80, 'live')] });
    expect(entryOf(done)).toMatchObject({ wave: { waveId: 'ga' }, position: 2 });
    expect(entryOf(buildRow('C'))).toEqual({ row: buildRow('C'), wave: null, position: 0 });
  });

  it('is right for every program, however many have several waves (no per-program fetch, no cap)', () => {
    // the page once fetched wave statuses per program for the first 50 multi-wave rollouts only
    const rows = Array.from({ length: 120 }, (_, i) => buildRow(`P${String(i).padStart(3, '0')}`, { checklist: [wave('pilot', 80, 'live'), wave('w1', 100, 'planned'), wave('ga', 0)] }));
    const sorted = sortRows(rows, 'program', 'ascending').map((r) => entryOf(r));
    expect(sorted.filter((e) => e.wave?.waveId === 'w1')).toHaveLength(120);
  });

  it('sorts a current wave without checklist items with the empty values, not as 100%', () => {
    const rows = [buildRow('A', { checklist: [wave('a', 0, 'planned', 0)] }), buildRow('B', { checklist: [wave('b', 100)] }), buildRow('C', { checklist: [wave('c', 40)] })];
    expect(sortRows(rows, 'checklist', 'descending').map((r) => r.program.key)).toEqual(['B', 'C', 'A']);
    expect(sortRows(rows, 'checklist', 'ascending').map((r) => r.program.key)).toEqual(['C', 'B', 'A']);
  });
});

describe('compareNames', () => {
  it('orders names as localeCompare does', () => {
    const sign = (n: number) => Math.sign(n);
    const samples = ['Al', 'al', 'AL', 'aL', 'Al Bo', 'Alan', 'Bea', 'bea', 'Priya Manager', 'priya manager', 'Zoë', 'Ann-Marie', "O'Brien", 'O Brien', 'Obrien', '', ' ', 'a b', 'ab', 'Ab', 'aB'];
    // and a few hundred generated from letters and spaces, deterministically
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const alphabet = 'aAbBzZ yY';
    for (let i = 0; i < 300; i++) samples.push(Array.from({ length: 1 + (next() % 6) }, () => alphabet[next() % alphabet.length]).join(''));
    const differ: string[][] = [];
    for (const a of samples) for (const b of samples) if (sign(compareNames(a, b)) !== sign(a.localeCompare(b))) differ.push([a, b]);
    expect(differ).toEqual([]);
  });
});

describe('slip against the baseline', () => {
  it('says there is no baseline rather than no slip when nothing was baselined', () => {
    expect(slipText(buildRow('A', { baselined: false }).signals)).toBe('No baseline');
    expect(slipText(buildRow('B').signals)).toBe('No slip');
    expect(slipText(buildRow('C', { slip: 1 }).signals)).toBe('1 day late');
  });

  it('sorts programs without a baseline after every measured one, either way', () => {
    const rows = [buildRow('A', { baselined: false }), buildRow('B', { slip: 3 }), buildRow('C')];
    expect(sortRows(rows, 'slip', 'ascending').map((r) => r.program.key)).toEqual(['C', 'B', 'A']);
    expect(sortRows(rows, 'slip', 'descending').map((r) => r.program.key)).toEqual(['B', 'C', 'A']);
  });
});

describe('what is overdue', () => {
  const goLive = (waveName: string, daysLate: number) => ({ waveId: waveName, waveName, plannedGoLive: '2026-06-01', status: 'in_progress' as const, daysLate });

  it('says each missed go-live first, then milestones and checklist items, and nothing when nothing is', () => {
    expect(overdueLines({ overdueGoLives: [goLive('Wave 1', 5), goLive('Pilot', 1)], overdueMilestones: 1, overdueChecklistItems: 3 }, 'QA')).toEqual([
      { text: 'Wave 1 go-live, 5 days late', goLive: true, href: '/programs/QA/rollout#wave-Wave 1' },
      { text: 'Pilot go-live, 1 day late', goLive: true, href: '/programs/QA/rollout#wave-Pilot' },
      { text: '1 milestone', goLive: false, href: '/programs/QA/milestones?show=overdue#list-heading' },
      { text: '3 checklist items', goLive: false, href: '/programs/QA/rollout?show=overdue#checklist-heading' },
    ]);
    expect(overdueLines({ overdueGoLives: [], overdueMilestones: 0, overdueChecklistItems: 0 }, 'QA')).toEqual([]);
  });

  it('sorts by everything overdue, go-lives and checklist items included', () => {
    const rows = [
      buildRow('A', { overdue: { overdueMilestones: 1 } }),
      buildRow('B', { overdue: { overdueGoLives: [goLive('Pilot', 3)], overdueChecklistItems: 2 } }),
      buildRow('C'),
    ];
    expect(sortRows(rows, 'overdue', 'descending').map((r) => r.program.key)).toEqual(['B', 'A', 'C']);
  });
});
