import { toast, type Toast } from '$lib/shell/toast.svelte';
import { messageOf } from './api';

/**
 * A change that runs one at a time, such as removing a row of a list: `running` says which while
 * it runs (for aria-busy and "Removing…"), and what went wrong goes to `report` — cleared ('') as
 * each try starts, then the thrown message, after "<failed>: " when `failed` is given.
 */
export class OneAtATime<K = string> {
  running = $state<K | null>(null);

  constructor(private readonly report: (message: string) => void) {}

  get busy(): boolean {
    return this.running !== null;
  }

  /** Runs `work` for `key`, unless a change is running already. */
  async run(key: K, work: () => Promise<void>, failed?: string): Promise<void> {
    if (this.running !== null) return;
    this.running = key;
    this.report('');
    try {
      await work();
    } catch (e) {
      this.report(failed ? `${failed}: ${messageOf(e)}` : messageOf(e));
    } finally {
      this.running = null;
    }
  }
}

/** A toast's "Undo": puts back what was changed, then refreshes; a failure is toasted as "<failed>: <message>". */
export function undoAction(restore: () => Promise<unknown>, refresh: () => void | Promise<void>, failed: string): NonNullable<Toast['action']> {
  return {
    label: 'Undo',
    run: async () => {
      try {
        await restore();
        await refresh();
      } catch (e) {
        toast(`${failed}: ${messageOf(e)}`, { kind: 'error' });
      }
    },
  };
}
