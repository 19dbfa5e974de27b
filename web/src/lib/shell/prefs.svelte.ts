/**
 * Personal display settings, kept in this browser (localStorage): the colour theme and whether
 * single-key shortcuts are on. Nothing here is sent to the server.
 *
 * The theme is applied as `data-theme` on <html>; app.html applies the stored choice before the
 * first paint so a dark page never flashes light. "system" removes the attribute and lets
 * `prefers-color-scheme` decide (app.css uses `light-dark()` with `color-scheme`).
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_KEY = 'tandem.theme';
export const SHORTCUTS_KEY = 'tandem.shortcuts';

export const prefs = $state({
  theme: 'system' as ThemeChoice,
  /** what `prefers-color-scheme` says right now */
  systemDark: false,
  shortcuts: true,
});

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled: defaults apply
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage disabled or full: the choice still applies to this page
  }
}

function apply(): void {
  const root = document.documentElement;
  if (prefs.theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', prefs.theme);
}

/** Reads the stored settings and follows the system theme; returns the clean-up. Browser only. */
export function initPrefs(): () => void {
  const stored = read(THEME_KEY);
  prefs.theme = stored === 'light' || stored === 'dark' ? stored : 'system';
  prefs.shortcuts = read(SHORTCUTS_KEY) !== 'off';
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const follow = () => (prefs.systemDark = media.matches);
  follow();
  apply();
  media.addEventListener('change', follow);
  return () => media.removeEventListener('change', follow);
}

/** Whether the page is dark now, whichever way that was decided. */
export function isDark(): boolean {
  return prefs.theme === 'dark' || (prefs.theme === 'system' && prefs.systemDark);
}

export function setTheme(choice: ThemeChoice): void {
  prefs.theme = choice;
  write(THEME_KEY, choice === 'system' ? null : choice);
  apply();
}

/** Flips between light and dark, remembering the explicit choice. */
export function toggleDark(): void {
  setTheme(isDark() ? 'light' : 'dark');
}

export function setShortcuts(on: boolean): void {
  prefs.shortcuts = on;
  write(SHORTCUTS_KEY, on ? null : 'off');
}
