import type { LiveSocket, ProgramChangeEvent } from '@tandem/collab-protocol';

/**
 * One `/live` connection per tab, shared by every page: subscribe to the programs on screen and
 * refetch when the server says something changed. Subscriptions are re-sent after a reconnect.
 * Events only say "this changed"; pages reload through the REST API, which applies access rules.
 */
type Listener = (event: ProgramChangeEvent) => void;

let socket: LiveSocket | null = null;
let opening = false;
const programs = new Map<string, Set<Listener>>();
const portfolio = new Set<Listener>();

export const liveStatus = $state({ connected: false });

/**
 * Opens the connection on first use. socket.io's client is imported then, in its own chunk: it is
 * evaluated after the page has hydrated, not in the same long task. Subscriptions made meanwhile
 * are sent on `connect`, like after any reconnect.
 */
function ensure(): void {
  if (typeof window === 'undefined' || opening) return;
  opening = true;
  void import('./live-connect').then(({ closeWhenOffline, connectLive }) => {
    // A connection of its own (`forceNew`): socket.io's io() otherwise shares one per origin,
    // made with the options of whichever namespace came first — and a document's /collab socket
    // is made with `autoConnect: false` (it connects once its local copy is loaded), which kept
    // /live from ever connecting in a tab that opened a document first.
    const s = connectLive(undefined, { forceNew: true });
    closeWhenOffline(s);
    socket = s;
    s.on('connect', () => {
      liveStatus.connected = true;
      for (const programId of programs.keys()) s.emit('subscribe', { programId }, () => undefined);
      if (portfolio.size) s.emit('subscribe-portfolio', {}, () => undefined);
    });
    s.on('disconnect', () => (liveStatus.connected = false));
    s.on('change', (event) => {
      for (const l of programs.get(event.programId) ?? []) l(event);
      for (const l of portfolio) l(event);
    });
  }, () => {
    opening = false; // the chunk did not load (offline?): the next page that subscribes tries again
  });
}

/** Calls `listener` for every committed change to the program until the returned function is called. */
export function onProgramChange(programId: string, listener: Listener): () => void {
  ensure();
  let set = programs.get(programId);
  if (!set) {
    set = new Set();
    programs.set(programId, set);
    if (socket?.connected) socket.emit('subscribe', { programId }, () => undefined);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) {
      programs.delete(programId);
      if (socket?.connected) socket.emit('unsubscribe', { programId });
    }
  };
}

/** Calls `listener` for changes to any program the person may read, and for new programs. */
export function onPortfolioChange(listener: Listener): () => void {
  ensure();
  if (portfolio.size === 0 && socket?.connected) socket.emit('subscribe-portfolio', {}, () => undefined);
  portfolio.add(listener);
  return () => portfolio.delete(listener);
}

/**
 * Runs `refresh` at most once per `ms` while events keep coming (a burst of ten changes is one
 * refetch), and always once after the last event.
 */
export function debounced(refresh: () => void, ms = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      refresh();
    }, ms);
  };
}
