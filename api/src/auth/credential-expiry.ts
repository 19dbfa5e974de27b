/** The longest delay `setTimeout` keeps: Node fires a longer one after 1 ms (with a warning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fire` once the clock has reached `at`, however far away that is: a session may last a year
 * (SESSION_TTL_HOURS) and a token ten, far beyond what one `setTimeout` waits, so it waits in steps
 * and reads the clock again after each. The timer never keeps the process alive. Returns the cancel.
 */
export function atTime(at: Date, fire: () => void): () => void {
  let timer: NodeJS.Timeout;
  const wait = () => {
    timer = setTimeout(check, Math.min(Math.max(at.getTime() - Date.now(), 0), MAX_TIMER_MS));
    timer.unref();
  };
  const check = () => (Date.now() >= at.getTime() ? fire() : wait());
  wait();
  return () => clearTimeout(timer);
}

/** What `closeAtExpiry` needs of a socket.io server socket. */
interface ClosableSocket {
  readonly connected: boolean;
  once(event: 'disconnect', listener: () => void): unknown;
}

/**
 * A connection lives no longer than the session or token it was opened with (authenticated once,
 * at the handshake): at `expiresAt` (null: never) `close` runs, unless it has closed by then.
 * Expiry is fixed when the credential is made, so the clock is enough; nothing is asked again.
 */
export function closeAtExpiry(socket: ClosableSocket, expiresAt: Date | null, close: () => void): void {
  if (!expiresAt) return;
  const cancel = atTime(expiresAt, () => socket.connected && close());
  socket.once('disconnect', cancel);
}
