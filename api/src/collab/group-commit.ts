import { Logger } from '@nestjs/common';

interface Pending<T> {
  item: T | null;
  resolve: () => void;
}

/** One batch written: how many items, and how long the write took (retries included). */
export interface BatchWritten {
  size: number;
  ms: number;
}

export interface GroupCommitStats {
  batches: number;
  items: number;
  lastBatchSize: number;
  lastBatchMs: number;
  queueDepth: number;
  failures: number;
}

/**
 * Group commit: items pushed while a write is in flight go out together in the next one, so the
 * database sees one statement per batch instead of one per edit, and nothing waits on a timer —
 * an idle queue writes at once. Batches run one at a time in push order, so a promise resolving
 * means every item pushed before it is stored too. A failed write is retried with backoff and
 * never dropped: the promises simply stay pending until the database takes the batch.
 * `null` items are barriers: they store nothing and resolve once everything before them has.
 */
export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private writing = false;
  private readonly logger = new Logger('GroupCommit');
  readonly stats: GroupCommitStats = { batches: 0, items: 0, lastBatchSize: 0, lastBatchMs: 0, queueDepth: 0, failures: 0 };
  private readonly observers: ((batch: BatchWritten) => void)[] = [];

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly options: { maxBatch: number; retryDelaysMs: readonly number[] } = { maxBatch: 1000, retryDelaysMs: [50, 100, 250, 500, 1000, 2000, 5000] },
  ) {}

  push(item: T | null): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ item, resolve });
      this.stats.queueDepth = this.queue.length;
      if (!this.writing) void this.drain();
    });
  }

  /** Resolves once everything pushed so far is stored. */
  barrier(): Promise<void> {
    return this.queue.length || this.writing ? this.push(null) : Promise.resolve();
  }

  /** Hears of every batch that stored something (for metrics). */
  observe(observer: (batch: BatchWritten) => void): void {
    this.observers.push(observer);
  }

  get idle(): boolean {
    return !this.writing && this.queue.length === 0;
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.options.maxBatch);
        this.stats.queueDepth = this.queue.length;
        const items = batch.flatMap((p) => (p.item === null ? [] : [p.item]));
        const started = performance.now();
        if (items.length) await this.writeWithRetry(items);
        this.stats.batches += 1;
        this.stats.items += items.length;
        this.stats.lastBatchSize = items.length;
        this.stats.lastBatchMs = performance.now() - started;
        if (items.length) for (const observer of this.observers) observer({ size: items.length, ms: this.stats.lastBatchMs });
        for (const p of batch) p.resolve();
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeWithRetry(items: T[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.write(items);
        return;
      } catch (error) {
        this.stats.failures += 1;
        const delay = this.options.retryDelaysMs[Math.min(attempt, this.options.retryDelaysMs.length - 1)] ?? 1000;
        this.logger.warn(`writing ${items.length} item(s) failed (attempt ${attempt + 1}), retrying in ${delay} ms: ${error instanceof Error ? error.message : String(error)}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
