/** A program and the version of its plan: any change to the plan gives a different stamp. */
export interface Stamped {
  id: string;
  stamp: string;
}

interface Entry<T> {
  stamp: string;
  /** when to refresh it in the background */
  refreshAt: number;
  value: T;
}

/**
 * What is derived from each program's plan, kept per program until its stamp changes or the day
 * turns (the signals count days). Programs missing from the cache are computed in one batch;
 * requests that need a program already being computed wait for that batch instead of starting
 * another. An entry older than `maxAgeMs` (to twice that, spread so that entries cached together
 * are not refreshed together) is still served and refreshed in the background, one batch at a
 * time: the stamp decides freshness, the age only bounds how long a change the stamp missed can
 * hide.
 */
export class DerivedCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly pending = new Map<string, { stamp: string; batch: Promise<Map<string, T>> }>();
  private day: string | null = null;
  private refreshing = false;

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  async get(programs: readonly Stamped[], day: string, compute: (ids: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>> {
    if (day !== this.day) {
      // Every entry is for one day: yesterday's are dropped, along with batches still computing them.
      this.entries.clear();
      this.pending.clear();
      this.day = day;
    }
    const out = new Map<string, T>();
    const waits: Promise<unknown>[] = [];
    const missing: Stamped[] = [];
    const old: Stamped[] = [];
    const now = this.now();
    for (const program of programs) {
      const { id, stamp } = program;
      const entry = this.entries.get(id);
      const running = this.pending.get(id);
      if (entry?.stamp === stamp) {
        out.set(id, entry.value);
        if (now >= entry.refreshAt && running?.stamp !== stamp) old.push(program);
      } else if (running?.stamp === stamp) {
        waits.push(running.batch.then((values) => out.set(id, values.get(id) as T)));
      } else {
        missing.push(program);
      }
    }
    if (old.length && !this.refreshing) {
      // Served above; the next request gets the refresh.
      this.refreshing = true;
      this.run(old, compute)
        .catch(() => undefined)
        .finally(() => (this.refreshing = false));
    }
    if (missing.length) waits.push(this.run(missing, compute).then((values) => missing.forEach(({ id }) => out.set(id, values.get(id) as T))));
    await Promise.all(waits);
    return out;
  }

  private run(batch: readonly Stamped[], compute: (ids: string[]) => Promise<Map<string, T>>): Promise<Map<string, T>> {
    const settle = (values: Map<string, T> | null) => {
      for (const { id, stamp } of batch) {
        if (this.pending.get(id)?.batch !== promise) continue;
        this.pending.delete(id);
        const value = values?.get(id);
        if (value !== undefined) this.entries.set(id, { stamp, refreshAt: this.now() + this.maxAgeMs * (1 + this.random()), value });
      }
    };
    const promise: Promise<Map<string, T>> = compute(batch.map((b) => b.id)).then(
      (values) => {
        settle(values);
        return values;
      },
      (error: unknown) => {
        settle(null);
        throw error;
      },
    );
    for (const { id, stamp } of batch) this.pending.set(id, { stamp, batch: promise });
    return promise;
  }
}
