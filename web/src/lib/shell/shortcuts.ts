/**
 * Keyboard shortcuts for the whole app. Ctrl/⌘-K (open the command palette) always works: it
 * needs a modifier, so it cannot fire by accident while typing. The single-key shortcuts (`g p`,
 * `g h`, `?`) can be turned off in Settings (WCAG 2.1.4) and never fire inside a text field, a
 * select, an editor or an open dialog.
 */
export interface ShortcutActions {
  palette(): void;
  help(): void;
  go(path: string): void;
  /** whether single-key shortcuts are on right now */
  enabled(): boolean;
}

export interface Shortcut {
  keys: string[];
  /** pressed together (Ctrl + K) rather than one after the other (g then p) */
  together?: boolean;
  description: string;
}

/** `g` then this key goes to the page. */
export const GO_TO: Record<string, { path: string; label: string }> = {
  p: { path: '/portfolio', label: 'Portfolio' },
  h: { path: '/', label: 'Programs (home)' },
};

export const SHORTCUTS: Shortcut[] = [
  { keys: ['Ctrl', 'K'], together: true, description: 'Open the command palette (⌘ K on a Mac); always on' },
  ...Object.values(GO_TO).map((g, i) => ({ keys: ['g', Object.keys(GO_TO)[i] ?? ''], description: `Go to ${g.label}` })),
  { keys: ['?'], description: 'Show these shortcuts' },
];

/** How long after `g` the second key may come. */
const SEQUENCE_MS = 1500;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file'].includes(type);
  }
  return target.closest('[contenteditable="true"], [role="textbox"], [role="combobox"]') !== null;
}

/** Listens on `window`; returns the clean-up. */
export function installShortcuts(actions: ShortcutActions): () => void {
  let pendingG = 0;

  function onKey(event: KeyboardEvent) {
    if (event.defaultPrevented || event.isComposing) return;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      actions.palette();
      return;
    }
    if (!actions.enabled() || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target) || document.querySelector('dialog[open]')) return;

    if (pendingG && Date.now() - pendingG < SEQUENCE_MS) {
      pendingG = 0;
      const target = GO_TO[event.key.toLowerCase()];
      if (target) {
        event.preventDefault();
        actions.go(target.path);
      }
      return;
    }
    pendingG = 0;
    if (event.key === 'g') pendingG = Date.now();
    else if (event.key === '?') {
      event.preventDefault();
      actions.help();
    }
  }

  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
