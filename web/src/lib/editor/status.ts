/**
 * The save status in words, apart from the session so that the page can show it without loading
 * the session's browser-only modules (see live.ts).
 */
import type { DocSession } from './session.svelte';

/**
 * What the status line says. "Saved" only when the server has confirmed every change. Someone
 * who may only read has nothing to save: they are told whether they see the latest text.
 */
export function statusText(
  session: Pick<DocSession, 'status' | 'unsaved' | 'loaded' | 'unreachable' | 'synced'> & Partial<Pick<DocSession, 'changedHere'>>,
  viewOnly = false,
): string {
  const n = session.unsaved;
  const changes = `${n} ${n === 1 ? 'change' : 'changes'} not yet saved`;
  if (!session.loaded) return 'Loading…';
  if (viewOnly) {
    // Typed here before the page became read-only (archived, role changed): never sent now.
    if (session.changedHere && n > 0) return `Read only — ${n} ${n === 1 ? 'change' : 'changes'} not saved`;
    if (session.status === 'offline') return !session.unreachable && !session.synced ? 'Connecting…' : 'Offline';
    if (session.status === 'saved' || session.status === 'unsaved-changes') return 'Up to date';
    return session.status === 'syncing' ? 'Syncing…' : 'Connecting…';
  }
  switch (session.status) {
    case 'saved':
      return 'Saved';
    case 'unsaved-changes':
      return 'Saving…';
    case 'offline':
      if (!session.unreachable && !session.synced) return 'Connecting…';
      return n > 0 ? `Offline — ${changes}` : 'Offline';
    case 'syncing':
      return 'Syncing…';
    default:
      return 'Connecting…';
  }
}
