import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/**
 * One Redis connection for plain commands shared by every node: login throttling and API rate
 * limits. Unlike the relay's connections it never queues: while Redis is unreachable a command
 * fails at once (or after a second at most), and its caller falls back to this node's memory —
 * a request never waits on Redis. Null without REDIS_URL.
 */
@Injectable()
export class RedisCommands implements OnApplicationShutdown {
  readonly client: Redis | null;
  private readonly logger = new Logger('Redis');
  private failing = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = config.redisUrl
      ? new Redis(config.redisUrl, {
          connectionName: `${config.redisPrefix}:commands:${process.pid}`,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: 1000,
        })
      : null;
    // The relay's connections report outages; this one only must not crash the process.
    this.client?.on('error', () => undefined);
    this.client?.on('ready', () => (this.failing = false));
  }

  /** A key in this deployment's namespace. */
  key(...parts: string[]): string {
    return [this.config.redisPrefix, ...parts].join(':');
  }

  /** Said once per outage by whoever falls back to memory. */
  fellBack(what: string, error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(`${what}: Redis did not answer (${error instanceof Error ? error.message : String(error)}); counting in this node's memory until it is back`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client?.disconnect());
    else this.client.disconnect();
  }
}

@Global()
@Module({ providers: [RedisCommands], exports: [RedisCommands] })
export class RedisModule {}
