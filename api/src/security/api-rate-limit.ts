import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { RedisCommands } from '../redis/redis-commands';

/**
 * REST rate limit: a token bucket per caller — a session, an API token, or (signed out) a client
 * address — refilled at API_RATE_PER_MINUTE and holding up to API_RATE_BURST requests. With
 * Redis the buckets are shared by every node (one Lua script: read, refill, take, write, in one
 * step, on Redis's clock); without it, or while Redis does not answer, each node keeps its own.
 */
export class TooManyRequests extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      { statusCode: 429, error: 'Too Many Requests', message: `Too many requests; try again in ${retryAfterSeconds} seconds`, retryAfter: retryAfterSeconds },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** Returns the milliseconds to wait (0: the request may go ahead, and took a token). */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return wait`;

interface Bucket {
  tokens: number;
  at: number;
}

type BucketRedis = NonNullable<RedisCommands['client']> & { tandemTakeToken(key: string, perMs: number, burst: number): Promise<number> };

@Injectable()
export class ApiRateLimit {
  private readonly perMs: number;
  private readonly burst: number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly redis: BucketRedis | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig, private readonly commands: RedisCommands) {
    this.perMs = config.apiRate.perMinute / 60_000;
    this.burst = config.apiRate.burst;
    if (commands.client && this.enabled) {
      commands.client.defineCommand('tandemTakeToken', { numberOfKeys: 1, lua: TAKE });
      this.redis = commands.client as BucketRedis;
    } else {
      this.redis = null;
    }
  }

  get enabled(): boolean {
    return this.perMs > 0;
  }

  /** Takes one request from the caller's bucket, or throws 429 with the seconds to wait. */
  async take(key: string): Promise<void> {
    if (!this.enabled) return;
    const waitMs = await this.takeShared(key);
    if (waitMs > 0) throw new TooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));
  }

  private async takeShared(key: string): Promise<number> {
    if (this.redis) {
      try {
        return Number(await this.redis.tandemTakeToken(this.commands.key('rate', key), this.perMs, this.burst));
      } catch (error) {
        this.commands.fellBack('API rate limit', error);
      }
    }
    return this.takeLocal(key, Date.now());
  }

  private takeLocal(key: string, now: number): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 100_000) this.sweep(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  /** Drops buckets that have refilled completely: they hold nothing a new one would not. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.tokens + (now - bucket.at) * this.perMs >= this.burst) this.buckets.delete(key);
  }
}
