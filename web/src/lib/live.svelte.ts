import type { LiveSocket, ProgramChangeEvent } from '@tandem/collab-protocol';
import { ApiError, getMe } from './api';

/**
 * One `/live` connection per tab, shared by every page: subscribe to the programs on screen and
 * refetch when the server says something changed. Subscriptions are re-sent after a reconnect.
 * Events only say "this changed"; pages reload through the REST API, which applies access rules.
 *
 * Nothing is told while the connection is down (a wifi flap, a server restart, a laptop asleep):
 * after a reconnect, once the server has the subscriptions again, every listener hears `null`
 * — "changes may have been missed: refetch what you show" — or a quiet program would show what
 * it was before the drop until its next change.
 */
export type Listener = (event: ProgramChangeEvent | null) => void;

let socket: LiveSocket | null = null;
let opening = false;
let checking = false;
const programs = new Map<string, Set<Listener>>();
const portfolio = new Set<Listener>();

/**
 * `signedOut`: the api says the session is gone — asked after the server ended or refused the
 * connection, or answered so to a background refresh (refresh.svelte.ts).
 */
export const liveStatus = $state({ connected: false, signedOut: false });

/**
 * Opens the connection on first use. socket.io's client is imported then, in its own chunk: it is
 * evaluated after the page has hydrated, not in the same long task. Subscriptions made meanwhile
 * are sent on `connect`, like after any reconnect.
 */
function ensure(): void {
  if (typeof window === 'undefined') return;
  if (socket && !socket.active) void recheck(socket);
  if (opening) return;
  opening = true;
  void import('./live-connect').then(({ closeWhenOffline, connectLive }) => {
    // A connection of its own (`forceNew`): socket.io's io() otherwise shares one per origin,
    // made with the options of whichever namespace came first — and a document's /collab socket
    // is made with `autoConnect: false` (it connects once its local copy is loaded), which kept
    // /live from ever connecting in a tab that opened a document first.
    const s = connectLive(undefined, { forceNew: true });
    closeWhenOffline(s);
    socket = s;
    // The first connection follows the page's own load; every later one follows a gap.
    let connectedBefore = false;
    s.on('connect', () => {
      liveStatus.connected = true;
      liveStatus.signedOut = false;
      const missed = connectedBefore;
      connectedBefore = true;
      // After the ack, not before: a change committed between the refetch and the subscription
      // would be missed again.
      for (const programId of programs.keys()) {
        s.emit('subscribe', { programId }, () => {
          if (missed) tell(programs.get(programId), null);
        });
      }
      if (portfolio.size) {
        s.emit('subscribe-portfolio', {}, () => {
          if (missed) tell(portfolio, null);
        });
      }
    });
    s.on('disconnect', (reason) => {
      liveStatus.connected = false;
      // socket.io retries by itself after a dropped connection, never after the server ended it.
      if (reason === 'io server disconnect') void recheck(s);
    });
    // A refused handshake (the session expired while the laptop slept, say) is not retried either.
    s.on('connect_error', () => {
      if (!s.active) void recheck(s);
    });
    s.on('change', (event) => {
      tell(programs.get(event.programId), event);
      tell(portfolio, event);
    });
  }, () => {
    opening = false; // the chunk did not load (offline?): the next page that subscribes tries again
  });
}

function tell(listeners: Set<Listener> | undefined, event: ProgramChangeEvent | null): void {
  for (const l of [...(listeners ?? [])]) l(event);
}

/**
 * After the server ended the connection or refused it: the session ended (signed out elsewhere,
 * expired), the person was deactivated — or a server reason of the future. Asks the api who is
 * signed in; without a session says so in `liveStatus` (the app's header then offers to sign in
 * again) instead of leaving a page that looks live and no longer is. With one, reconnects.
 */
async function recheck(s: LiveSocket): Promise<void> {
  if (checking) return;
  checking = true;
  try {
    for (let wait = 1000; !s.active; wait = Math.min(wait * 2, 30_000)) {
      try {
        await getMe(fetch);
        if (!s.active) s.connect();
        return;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          liveStatus.signedOut = true;
          return; // the next page that subscribes checks again (see ensure)
        }
      }
      await new Promise((resolve) => setTimeout(resolve, wait)); // offline or the api is down
    }
  } finally {
    checking = false;
  }
}

/**
 * Calls `listener` for every committed change to the program, and with `null` after a reconnect
 * (see above), until the returned function is called.
 */
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

/** Calls `listener` for changes to any program the person may read, for new programs, and with `null` after a reconnect. */
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
