export interface ThrottleLimits {
  maxPerAccount: number;
  maxPerAddress: number;
  windowSeconds: number;
}

interface Window {
  failures: number;
  resetsAt: number;
}

/**
 * Counts failed sign-ins per account and per client address in fixed windows. Once either count
 * reaches its limit, further attempts are refused until the window ends — even with the right
 * password, so guessing cannot continue in the background. Kept in this process's memory: one
 * node counts alone (a shared store comes with multi-node deployment).
 */
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limits: ThrottleLimits, private readonly now: () => number = Date.now) {}

  /** Seconds until the caller may try again, or 0 when the attempt may go ahead. */
  retryAfter(email: string, address: string): number {
    const waits = [
      this.wait(`account:${email}`, this.limits.maxPerAccount),
      this.wait(`address:${address}`, this.limits.maxPerAddress),
    ];
    return Math.max(...waits);
  }

  recordFailure(email: string, address: string): void {
    this.bump(`account:${email}`);
    this.bump(`address:${address}`);
  }

  recordSuccess(email: string): void {
    this.windows.delete(`account:${email}`);
  }

  private wait(key: string, max: number): number {
    const window = this.current(key);
    if (!window || window.failures < max) return 0;
    return Math.max(1, Math.ceil((window.resetsAt - this.now()) / 1000));
  }

  private bump(key: string): void {
    const window = this.current(key);
    if (window) window.failures += 1;
    else this.windows.set(key, { failures: 1, resetsAt: this.now() + this.limits.windowSeconds * 1000 });
    if (this.windows.size > 100_000) this.sweep();
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.resetsAt <= this.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
  }
}
