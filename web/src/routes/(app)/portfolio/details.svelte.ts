/**
 * Per-program data the portfolio row does not carry, fetched in the browser after the page shows
 * and only for what is on screen: status updates and milestones for the programs in the charts
 * (at most CHART_CAP). A few requests at a time; a live change to one program refetches only that
 * program. (Wave statuses, for the current wave, come with the rows' signals.)
 */
import type { Milestone, StatusUpdate } from '@tandem/api-client';
import { SvelteMap } from 'svelte/reactivity';
import { listProgramMilestones } from '$lib/shell/api';
import { listUpdatesSince } from './api';

export const CHART_CAP = 12;
const CONCURRENCY = 4;

type Kind = 'updates' | 'milestones';
interface Job {
  kind: Kind;
  id: string;
  key: string;
  /** updates only: the first day of the history wanted */
  since?: string;
}

export class ProgramDetails {
  readonly updates = new SvelteMap<string, StatusUpdate[]>();
  readonly milestones = new SvelteMap<string, Milestone[]>();
  pending = $state(0);
  failed = $state(0);

  readonly #done = new Set<string>();
  readonly #queue: Job[] = [];
  #workers = 0;
  #stopped = false;

  /**
   * Queues whatever these programs still lack. Updates are the health history from `since` on; one
   * fetched before the day turned is kept, as it starts earlier and so still covers the window.
   */
  want(kind: 'updates', programs: readonly { id: string; key: string }[], since: string): void;
  want(kind: 'milestones', programs: readonly { id: string; key: string }[]): void;
  want(kind: Kind, programs: readonly { id: string; key: string }[], since?: string): void {
    for (const p of programs) {
      const tag = `${kind}:${p.id}`;
      if (this.#done.has(tag)) continue;
      this.#done.add(tag);
      this.#queue.push({ kind, id: p.id, key: p.key, since });
      this.pending++;
    }
    while (this.#workers < CONCURRENCY && this.#queue.length) void this.#work();
  }

  /** Forgets one program's data so the next `want` fetches it again (after a live change). */
  forget(programId: string): void {
    for (const kind of ['updates', 'milestones'] as const) this.#done.delete(`${kind}:${programId}`);
  }

  /** Forgets every program's data (changes may have been missed: the live connection was down). */
  forgetAll(): void {
    this.#done.clear();
  }

  stop(): void {
    this.#stopped = true;
    this.#queue.length = 0;
  }

  async #work(): Promise<void> {
    this.#workers++;
    try {
      for (let job = this.#queue.shift(); job && !this.#stopped; job = this.#queue.shift()) {
        try {
          await this.#fetch(job);
        } catch {
          this.failed++;
          this.#done.delete(`${job.kind}:${job.id}`); // try again next time it is wanted
        } finally {
          this.pending--;
        }
      }
    } finally {
      this.#workers--;
    }
  }

  async #fetch({ kind, id, key, since }: Job): Promise<void> {
    if (kind === 'updates') this.updates.set(id, await listUpdatesSince(fetch, key, since!));
    else this.milestones.set(id, await listProgramMilestones(fetch, key));
  }
}
