import { createHash } from 'node:crypto';
import type { RedisCommands } from '../redis/redis-commands';

export interface ThrottleLimits {
  maxPerAccount: number;
  maxPerAddress: number;
  windowSeconds: number;
}

/**
 * Counts failed sign-ins per account and per client address in fixed windows. Once either count
 * reaches its limit, further attempts are refused until the window ends — even with the right
 * password, so guessing cannot continue in the background. One node counts in its memory; with
 * Redis every node shares the counts (RedisLoginThrottle).
 */
export abstract class LoginThrottle {
  /** Seconds until the caller may try again, or 0 when the attempt may go ahead. */
  abstract retryAfter(email: string, address: string): Promise<number>;
  abstract recordFailure(email: string, address: string): Promise<void>;
  abstract recordSuccess(email: string): Promise<void>;
}

interface Window {
  failures: number;
  resetsAt: number;
}

export class MemoryLoginThrottle extends LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limits: ThrottleLimits, private readonly now: () => number = Date.now) {
    super();
  }

  async retryAfter(email: string, address: string): Promise<number> {
    return Math.max(this.wait(`account:${email}`, this.limits.maxPerAccount), this.wait(`address:${address}`, this.limits.maxPerAddress));
  }

  async recordFailure(email: string, address: string): Promise<void> {
    this.bump(`account:${email}`);
    this.bump(`address:${address}`);
  }

  async recordSuccess(email: string): Promise<void> {
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

/** INCR, and start the window on the first failure (so the window is fixed, as in memory). */
const COUNT_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

type CountingRedis = NonNullable<RedisCommands['client']> & { tandemCountFailure(key: string, windowMs: number): Promise<number> };

/**
 * The same rule with the counts in Redis, so that every node sees every failure. Keys hold a hash
 * of the email, never the address itself. When Redis does not answer, this node's memory counts
 * instead until it does (a request never waits on Redis).
 */
export class RedisLoginThrottle extends LoginThrottle {
  private readonly redis: CountingRedis;

  constructor(private readonly commands: RedisCommands, private readonly limits: ThrottleLimits, private readonly fallback: MemoryLoginThrottle) {
    super();
    if (!commands.client) throw new Error('RedisLoginThrottle needs REDIS_URL');
    commands.client.defineCommand('tandemCountFailure', { numberOfKeys: 1, lua: COUNT_FAILURE });
    this.redis = commands.client as CountingRedis;
  }

  async retryAfter(email: string, address: string): Promise<number> {
    try {
      const replies = await this.redis.multi().get(this.accountKey(email)).pttl(this.accountKey(email)).get(this.addressKey(address)).pttl(this.addressKey(address)).exec();
      const [accountCount, accountTtl, addressCount, addressTtl] = (replies ?? []).map(([error, value]) => {
        if (error) throw error;
        return Number(value ?? 0);
      });
      const wait = (count = 0, ttl = 0, max: number) => (count >= max && ttl > 0 ? Math.max(1, Math.ceil(ttl / 1000)) : 0);
      return Math.max(wait(accountCount, accountTtl, this.limits.maxPerAccount), wait(addressCount, addressTtl, this.limits.maxPerAddress));
    } catch (error) {
      this.commands.fellBack('sign-in throttle', error);
      return this.fallback.retryAfter(email, address);
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const windowMs = this.limits.windowSeconds * 1000;
    try {
      await Promise.all([this.redis.tandemCountFailure(this.accountKey(email), windowMs), this.redis.tandemCountFailure(this.addressKey(address), windowMs)]);
    } catch (error) {
      this.commands.fellBack('sign-in throttle', error);
      await this.fallback.recordFailure(email, address);
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.fallback.recordSuccess(email);
    await this.redis.del(this.accountKey(email)).catch((error: unknown) => this.commands.fellBack('sign-in throttle', error));
  }

  private accountKey(email: string): string {
    return this.commands.key('login', 'account', createHash('sha256').update(email).digest('base64url'));
  }

  private addressKey(address: string): string {
    return this.commands.key('login', 'address', address);
  }
}
