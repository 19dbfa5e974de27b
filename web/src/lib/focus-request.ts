/**
 * Focus for an element that a coming re-render shows: after a change that removes the focused
 * control (archiving a program removes its buttons), focus belongs on what undoes it — but that
 * element may appear only after a later refresh (a live update's refetch can supersede the one the
 * change awaited), or be drawn again by it. `requestFocus` focuses it now if it is there, and
 * for a short while lets it take focus when it mounts (`takeFocus`, a Svelte action on it).
 */
const WINDOW_MS = 3000;
let wanted: { id: string; until: number } | null = null;

export function requestFocus(id: string): void {
  wanted = { id, until: Date.now() + WINDOW_MS };
  document.getElementById(id)?.focus();
}

export function takeFocus(node: HTMLElement): void {
  if (!wanted || wanted.id !== node.id) return;
  if (Date.now() > wanted.until) {
    wanted = null;
    return;
  }
  // After the rest of the render: the element is in the document by then.
  queueMicrotask(() => node.focus());
}
