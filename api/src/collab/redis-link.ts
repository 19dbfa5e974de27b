import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * socket.io's Redis adapter fires commands and drops their promises. When Redis is gone at the
 * wrong moment (shutdown during an outage) those promises reject, and an unhandled rejection
 * would end the process. Marking every command's promise as handled keeps the process alive;
 * callers that await a command still see its error.
 */
class RedisConnection extends Redis {
  override sendCommand(...args: Parameters<Redis['sendCommand']>): unknown {
    const sent = super.sendCommand(...args);
    if (sent instanceof Promise) sent.catch(() => undefined);
    return sent;
  }
}

export interface LinkEvents {
  /** the first connection of the link was lost (or never made) since it was last whole */
  down(reason: string): void;
  /** every connection is ready again after being down */
  recovered(): void;
}

/**
 * This node's connections to Redis: one publisher (socket.io's adapter and the document relay
 * share it), the adapter's subscriber, and the relay's subscriber (only the channels of documents
 * open here). ioredis reconnects on its own; this class turns the three connections' states into
 * "down" once per outage and "recovered" once all three are back.
 */
export class RedisLink {
  readonly pub: Redis;
  readonly adapterSub: Redis;
  readonly relaySub: Redis;
  private readonly logger = new Logger('Redis');
  private outage = false;
  private closing = false;

  constructor(url: string, private readonly prefix: string, nodeId: string, private readonly events: LinkEvents) {
    this.pub = this.connect(url, `${prefix}:pub:${nodeId}`);
    this.adapterSub = this.connect(url, `${prefix}:adapter-sub:${nodeId}`);
    this.relaySub = this.connect(url, `${prefix}:relay-sub:${nodeId}`);
  }

  private get connections(): Redis[] {
    return [this.pub, this.adapterSub, this.relaySub];
  }

  /** every connection is up */
  get ok(): boolean {
    return this.connections.every((c) => c.status === 'ready');
  }

  /** the Redis channel that carries one document's relay messages */
  docChannel(docId: string): string {
    return `${this.prefix}:doc:${docId}`;
  }

  /** a node's own channel for timing the relay path (see relay-lag.ts) */
  probeChannel(nodeId: string): string {
    return `${this.prefix}:probe:${nodeId}`;
  }

  /** the key socket.io's adapter prefixes its channels with */
  get adapterKey(): string {
    return `${this.prefix}:socket.io`;
  }

  /** After the rooms are closed and socket.io has unsubscribed: say goodbye, or just drop the socket when Redis is not there. */
  async quit(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.connections.map(async (c) => {
        if (c.status !== 'ready') return c.disconnect();
        await c.quit().catch(() => c.disconnect());
      }),
    );
  }

  private connect(url: string, connectionName: string): Redis {
    // maxRetriesPerRequest null: a command issued during an outage waits for the reconnection
    // instead of failing after 20 attempts (socket.io's adapter would otherwise drop, for
    // example, the access change that must close another node's sockets).
    const connection = new RedisConnection(url, { connectionName, maxRetriesPerRequest: null });
    connection.on('error', (error: Error) => this.lost(error.message));
    connection.on('close', () => this.lost('connection closed'));
    connection.on('ready', () => this.ready());
    return connection;
  }

  private lost(reason: string): void {
    if (this.closing || this.outage) return;
    this.outage = true;
    this.events.down(reason);
  }

  private ready(): void {
    if (this.closing || !this.outage || !this.ok) return;
    this.outage = false;
    this.logger.log('connected again');
    this.events.recovered();
  }
}
