/**
 * The portfolio's rules for reading, filtering and ordering rows, kept pure so they can be tested
 * without a browser. Filters and sort live in the query string, so a view can be shared as a link.
 */
import type { PortfolioRow } from '@tandem/api-client';
import { currentWave, overdueCount, type Health, type WaveStatus } from '@tandem/domain';

export type { Health, PortfolioRow, WaveStatus };

export type WaveCompletion = PortfolioRow['signals']['checklist'][number];

export const HEALTHS: readonly Health[] = ['on_track', 'at_risk', 'off_track'];
const HEALTH_LABELS: Record<Health, string> = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' };
export const healthWord = (h: Health | null): string => (h ? HEALTH_LABELS[h] : 'Not reported');

/** `none` filters to programs that never reported. */
export type HealthFilter = Health | 'none';

export const SORT_KEYS = ['program', 'reported', 'computed', 'owner', 'next', 'slip', 'overdue', 'checklist', 'updated'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'ascending' | 'descending';

export interface View {
  team: string | null;
  health: HealthFilter | null;
  owner: string | null;
  sort: SortKey;
  dir: SortDir;
}

export const DEFAULT_VIEW: View = { team: null, health: null, owner: null, sort: 'program', dir: 'ascending' };

export function readView(params: URLSearchParams): View {
  const health = params.get('health');
  const sort = params.get('sort');
  return {
    team: params.get('team') || null,
    owner: params.get('owner') || null,
    health: health === 'none' || HEALTHS.includes(health as Health) ? (health as HealthFilter) : null,
    sort: SORT_KEYS.includes(sort as SortKey) ? (sort as SortKey) : DEFAULT_VIEW.sort,
    dir: params.get('dir') === 'descending' ? 'descending' : 'ascending',
  };
}

/** `?team=…&sort=slip&dir=descending`, leaving out what is the default; '' for the default view. */
export function viewQuery(view: View): string {
  const params = new URLSearchParams();
  if (view.team) params.set('team', view.team);
  if (view.health) params.set('health', view.health);
  if (view.owner) params.set('owner', view.owner);
  if (view.sort !== DEFAULT_VIEW.sort || view.dir !== DEFAULT_VIEW.dir) {
    params.set('sort', view.sort);
    params.set('dir', view.dir);
  }
  const q = params.toString();
  return q ? `?${q}` : '';
}

export function filterRows(rows: readonly PortfolioRow[], view: View): PortfolioRow[] {
  return rows.filter(
    (r) =>
      (!view.team || r.team?.id === view.team) &&
      (!view.owner || r.owner.id === view.owner) &&
      (!view.health || (view.health === 'none' ? r.reported === null : r.reported?.health === view.health)),
  );
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Distinct owners of the rows, by name. */
export function ownersOf(rows: readonly PortfolioRow[]): { id: string; name: string }[] {
  const byId = new Map(rows.map((r) => [r.owner.id, r.owner]));
  return [...byId.values()].sort((a, b) => compareNames(a.name, b.name));
}

const LETTERS_AND_SPACES = /^[A-Za-z ]*$/;

/**
 * Names in the order localeCompare gives them. localeCompare's first call loads the collation
 * data (tens of milliseconds on a phone, in the middle of hydrating the page), so names of plain
 * letters and spaces — where that order is: ignoring case, then lower case first — are compared
 * without it; anything else (accents, hyphens, apostrophes) still goes to localeCompare.
 */
export function compareNames(a: string, b: string): number {
  if (!LETTERS_AND_SPACES.test(a) || !LETTERS_AND_SPACES.test(b)) return a.localeCompare(b);
  const byLetters = byCodeUnit(a.toLowerCase(), b.toLowerCase());
  if (byLetters !== 0) return byLetters;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] === a[i]!.toLowerCase() ? -1 : 1;
  }
  return 0;
}

const rank = (h: Health | null | undefined) => (h ? HEALTHS.indexOf(h) : HEALTHS.length);

type Value = string | number | null;

function sortValue(row: PortfolioRow, key: SortKey, wave: WaveCompletion | null): Value {
  switch (key) {
    case 'program':
      return row.program.key;
    case 'reported':
      return rank(row.reported?.health);
    case 'computed':
      return rank(row.computed.health);
    case 'owner':
      return row.owner.name;
    case 'next':
      return row.nextMilestone?.dueDate ?? null;
    case 'slip':
      // without a baseline there is nothing to measure: sorts with the empty values
      return row.signals.baselined ? row.signals.maxSlipDays : null;
    case 'overdue':
      // missed go-lives, overdue milestones and overdue go-live checklist items together
      return overdueCount(row.signals);
    case 'checklist':
      // a wave without checklist items has nothing to count: it sorts with the empty values
      return wave && wave.total > 0 ? wave.percent : null;
    case 'updated':
      // never updated sorts as the oldest
      return row.signals.daysSinceLastUpdate ?? Number.MAX_SAFE_INTEGER;
  }
}

function compare(a: Value, b: Value, key: SortKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // program keys (capital letters and digits) and ISO dates: code-unit order is localeCompare's
  return key === 'owner' ? compareNames(String(a), String(b)) : byCodeUnit(String(a), String(b));
}

/** Sorted by one column; empty values (no next milestone, no waves) always last; ties by key. */
export function sortRows(rows: readonly PortfolioRow[], key: SortKey, dir: SortDir): PortfolioRow[] {
  const sign = dir === 'ascending' ? 1 : -1;
  return rows
    .map((row) => ({ row, value: sortValue(row, key, currentWave(row.signals.checklist)) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) {
        if (a.value !== b.value) return a.value === null ? 1 : -1;
      } else {
        const c = compare(a.value, b.value, key);
        if (c !== 0) return sign * c;
      }
      return byCodeUnit(a.row.program.key, b.row.program.key);
    })
    .map((x) => x.row);
}

/** "Today", "1 day ago", "12 days ago", "Never". */
export function ageLabel(days: number | null): string {
  if (days === null) return 'Never';
  if (days <= 0) return 'Today';
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** "20 days late" / "No slip" / "No baseline" (the api reports 0 slip then too: nothing to measure against). */
export function slipText(signals: Pick<PortfolioRow['signals'], 'maxSlipDays' | 'baselined'>): string {
  const days = signals.maxSlipDays;
  if (!signals.baselined) return 'No baseline';
  if (days <= 0) return 'No slip';
  return days === 1 ? '1 day late' : `${days} days late`;
}

export interface OverdueLine {
  text: string;
  /** a missed go-live: the most visible miss, shown first and marked */
  goLive: boolean;
  /** where it is seen on the program's pages, null when there is no one place */
  href: string | null;
}

/**
 * What the Overdue column says, one line a kind: each missed go-live ("Wave 1 go-live, 5 days
 * late"), then "2 milestones", then "3 checklist items" (those gating a go-live still to come).
 * Empty when nothing is overdue. A missed go-live links to its wave's card on the rollout page,
 * the checklist items to the rollout page filtered to the overdue items (`?show=overdue`).
 */
export function overdueLines(signals: Pick<PortfolioRow['signals'], 'overdueGoLives' | 'overdueMilestones' | 'overdueChecklistItems'>, programKey: string): OverdueLine[] {
  const program = `/programs/${encodeURIComponent(programKey)}`;
  const rollout = `${program}/rollout`;
  const lines: OverdueLine[] = signals.overdueGoLives.map((g) => ({
    text: `${g.waveName} go-live, ${g.daysLate === 1 ? '1 day' : `${g.daysLate} days`} late`,
    goLive: true,
    href: `${rollout}#wave-${g.waveId}`,
  }));
  const n = signals.overdueMilestones;
  if (n) lines.push({ text: n === 1 ? '1 milestone' : `${n} milestones`, goLive: false, href: `${program}/milestones?show=overdue#list-heading` });
  const items = signals.overdueChecklistItems;
  if (items) lines.push({ text: items === 1 ? '1 checklist item' : `${items} checklist items`, goLive: false, href: `${rollout}?show=overdue#checklist-heading` });
  return lines;
}

/** A row with its current wave worked out, as the table and the cards show it. */
export interface Entry {
  row: PortfolioRow;
  wave: WaveCompletion | null;
  /** the current wave's place among the program's waves, from 1 (0 without waves) */
  position: number;
}

/** The current wave is read from the wave statuses the signals carry (`currentWave` in @tandem/domain). */
export function entryOf(row: PortfolioRow): Entry {
  const wave = currentWave(row.signals.checklist);
  return { row, wave, position: wave ? row.signals.checklist.indexOf(wave) + 1 : 0 };
}

export const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'program', label: 'Program' },
  { key: 'reported', label: 'Reported health' },
  { key: 'computed', label: 'Computed health' },
  { key: 'owner', label: 'Owner' },
  { key: 'next', label: 'Next milestone' },
  { key: 'slip', label: 'Slip vs baseline' },
  { key: 'overdue', label: 'Overdue' },
  { key: 'checklist', label: 'Current wave' },
  { key: 'updated', label: 'Last update' },
];
