import type { RedisLink } from './redis-link';

/**
 * Measures how long a message takes from this node's publisher, through Redis, to its relay
 * subscriber — the path every relayed update and presence change takes.
 *
 * Why a probe and not a timestamp in relayed messages: the relay wire format (relay-wire.ts,
 * version 1) has a fixed header and a payload that runs to the end of the message, and a node
 * drops any other version. Adding a field would need version 2, which the nodes still on
 * version 1 would drop during a rolling upgrade — losing cross-node updates until their rooms
 * resync. A node's clock also cannot be compared with another's. So each node publishes a small
 * probe (its own monotonic send time) on a channel of its own every few seconds and times its
 * arrival on the same connections; Redis delivers in order per connection, so the probe queues
 * behind whatever relay traffic is in flight, as an update would.
 */
export class RelayLagProbe {
  private readonly channel: string;
  private readonly listeners: ((seconds: number) => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly onMessage = (channel: Buffer, data: Buffer) => {
    if (data.byteLength !== 8 || channel.toString() !== this.channel) return;
    const seconds = (performance.now() - data.readDoubleBE(0)) / 1000;
    for (const listener of this.listeners) listener(seconds);
  };

  constructor(private readonly link: RedisLink, nodeId: string, private readonly everyMs = 5000) {
    this.channel = link.probeChannel(nodeId);
  }

  listen(listener: (seconds: number) => void): void {
    this.listeners.push(listener);
    if (this.timer) return;
    this.link.relaySub.on('messageBuffer', this.onMessage);
    // ioredis resubscribes by itself after a reconnection.
    void this.link.relaySub.subscribe(this.channel).then(() => this.send(), () => undefined);
    this.timer = setInterval(() => this.send(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.link.relaySub.off('messageBuffer', this.onMessage);
  }

  private send(): void {
    if (this.link.pub.status !== 'ready') return;
    const sentAt = Buffer.allocUnsafe(8);
    sentAt.writeDoubleBE(performance.now(), 0);
    this.link.pub.publish(this.channel, sentAt).catch(() => undefined);
  }
}
