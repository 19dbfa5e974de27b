import { msUntilNextDay, todayUtc } from './days';

/** How often the page looks at the clock, and what gap between two looks means the machine slept. */
const TICK_MS = 60_000;
// A hidden tab's timers run about once a minute in Chromium: a gap this long is a sleep, not throttling.
const GAP_MS = 5 * 60_000;
/** as msUntilNextDay: a server whose clock is a little behind has turned the day too by then */
const MARGIN_MS = 5_000;

/**
 * Calls `refresh` once the UTC day the rows were counted on (`countedOn`) is over — what was due
 * then is overdue now, though nothing was written — or after a long gap. A timer set for midnight
 * is not enough: timers do not run while the machine sleeps, so one set before a night's sleep
 * fires hours late. So the page also looks at the wall clock when it is shown again, when the
 * browser is back online, and every minute (which notices the clock jumped). Returns the stop.
 */
export function watchDayTurn(countedOn: string, refresh: () => void): () => void {
  let last = Date.now();
  const check = () => {
    const now = Date.now();
    const gap = now - last;
    last = now;
    if (todayUtc(new Date(now - MARGIN_MS)) !== countedOn || gap > GAP_MS) refresh();
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') check();
  };
  const turn = setTimeout(refresh, msUntilNextDay());
  const tick = setInterval(check, TICK_MS);
  document.addEventListener('visibilitychange', onVisible);
  window.addEventListener('online', check);
  return () => {
    clearTimeout(turn);
    clearInterval(tick);
    document.removeEventListener('visibilitychange', onVisible);
    window.removeEventListener('online', check);
  };
}
