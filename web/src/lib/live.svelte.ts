import { connectLive, type LiveSocket, type ProgramChangeEvent } from '@tandem/collab-protocol';

/**
 * One `/live` connection per tab, shared by every page: subscribe to the programs on screen and
 * refetch when the server says something changed. Subscriptions are re-sent after a reconnect.
 * Events only say "this changed"; pages reload through the REST API, which applies access rules.
 */
type Listener = (event: ProgramChangeEvent) => void;

let socket: LiveSocket | null = null;
const programs = new Map<string, Set<Listener>>();
const portfolio = new Set<Listener>();

export const liveStatus = $state({ connected: false });

function ensure(): LiveSocket | null {
  if (typeof window === 'undefined') return null;
  if (socket) return socket;
  socket = connectLive();
  socket.on('connect', () => {
    liveStatus.connected = true;
    for (const programId of programs.keys()) socket?.emit('subscribe', { programId }, () => undefined);
    if (portfolio.size) socket?.emit('subscribe-portfolio', {}, () => undefined);
  });
  socket.on('disconnect', () => (liveStatus.connected = false));
  socket.on('change', (event) => {
    for (const l of programs.get(event.programId) ?? []) l(event);
    for (const l of portfolio) l(event);
  });
  return socket;
}

/** Calls `listener` for every committed change to the program until the returned function is called. */
export function onProgramChange(programId: string, listener: Listener): () => void {
  const s = ensure();
  let set = programs.get(programId);
  if (!set) {
    set = new Set();
    programs.set(programId, set);
    if (s?.connected) s.emit('subscribe', { programId }, () => undefined);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) {
      programs.delete(programId);
      if (s?.connected) s.emit('unsubscribe', { programId });
    }
  };
}

/** Calls `listener` for changes to any program the person may read, and for new programs. */
export function onPortfolioChange(listener: Listener): () => void {
  const s = ensure();
  if (portfolio.size === 0 && s?.connected) s.emit('subscribe-portfolio', {}, () => undefined);
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
