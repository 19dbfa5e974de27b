/**
 * Toasts: short messages in an aria-live region, with an optional action (e.g. "Undo" after a
 * destructive change). The `<Toasts />` component renders them; anything may call `toast()`.
 */
export interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'success' | 'error';
  action?: { label: string; run: () => void | Promise<void> };
  /** ms before it disappears; actions get longer */
  timeout: number;
}

export const toasts = $state<Toast[]>([]);
let next = 1;

export function toast(message: string, options: { kind?: Toast['kind']; action?: Toast['action']; timeout?: number } = {}): number {
  const id = next++;
  const timeout = options.timeout ?? (options.action ? 8000 : 4000);
  toasts.push({ id, message, kind: options.kind ?? 'info', action: options.action, timeout });
  setTimeout(() => dismiss(id), timeout);
  return id;
}

export function dismiss(id: number): void {
  const at = toasts.findIndex((t) => t.id === id);
  if (at >= 0) toasts.splice(at, 1);
}
