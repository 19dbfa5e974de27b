import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, atTime, closeAtExpiry } from './credential-expiry';

const DAY_MS = 86_400_000;

// Vitest's fake timers move the clock too, and, like Node, fire a delay over 2^31−1 ms after 1 ms.
describe('atTime', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('waits out a delay longer than one setTimeout allows, in steps, and fires once at the time', () => {
    const fire = vi.fn();
    const at = new Date(Date.now() + 365 * DAY_MS);
    atTime(at, fire);
    vi.advanceTimersByTime(1);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMER_MS * 14);
    expect(Date.now()).toBeLessThan(at.getTime());
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(at.getTime() - Date.now() - 1);
    expect(fire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(MAX_TIMER_MS * 2);
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('fires on the next turn for a time already past, and not at all once cancelled', () => {
    const past = vi.fn();
    atTime(new Date(Date.now() - 1000), past);
    expect(past).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(past).toHaveBeenCalledTimes(1);

    const cancelled = vi.fn();
    const cancel = atTime(new Date(Date.now() + 40 * DAY_MS), cancelled);
    vi.advanceTimersByTime(30 * DAY_MS);
    cancel();
    vi.advanceTimersByTime(30 * DAY_MS);
    expect(cancelled).not.toHaveBeenCalled();
  });

  it('never keeps the process alive', () => {
    vi.useRealTimers();
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const cancel = atTime(new Date(Date.now() + 60_000), () => undefined);
    const timer = setTimeoutSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    cancel();
    setTimeoutSpy.mockRestore();
  });
});

describe('closeAtExpiry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const socket = () => Object.assign(new EventEmitter(), { connected: true });

  it('closes the socket at its credential’s expiry; one without expiry is left alone', () => {
    const [expiring, lasting] = [socket(), socket()];
    const [closeExpiring, closeLasting] = [vi.fn(), vi.fn()];
    closeAtExpiry(expiring, new Date(Date.now() + 1000), closeExpiring);
    closeAtExpiry(lasting, null, closeLasting);
    vi.advanceTimersByTime(999);
    expect(closeExpiring).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(closeExpiring).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(100 * DAY_MS);
    expect(closeLasting).not.toHaveBeenCalled();
  });

  it('forgets a socket that closed first', () => {
    const s = socket();
    const close = vi.fn();
    closeAtExpiry(s, new Date(Date.now() + 1000), close);
    s.connected = false;
    s.emit('disconnect');
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2000);
    expect(close).not.toHaveBeenCalled();
  });
});
