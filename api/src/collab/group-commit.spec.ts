import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes items pushed while a write is in flight together, in order', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gc = new GroupCommit<number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = gc.push(1);
    const rest = [gc.push(2), gc.push(3), gc.push(4)];
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('resolves a promise only after its item and everything before it are written', async () => {
    const written: number[] = [];
    const gc = new GroupCommit<number>(async (items) => {
      await new Promise((r) => setTimeout(r, 5));
      written.push(...items);
    });
    const seen: number[][] = [];
    await Promise.all([1, 2, 3].map((n) => gc.push(n).then(() => seen.push([...written]))));
    for (const snapshot of seen) expect(snapshot.length).toBeGreaterThan(0);
    expect(written).toEqual([1, 2, 3]);
  });

  it('retries a failed write without dropping or reordering anything', async () => {
    let failures = 2;
    const written: number[] = [];
    const gc = new GroupCommit<number>(
      async (items) => {
        if (failures-- > 0) throw new Error('database is down');
        written.push(...items);
      },
      { maxBatch: 100, retryDelaysMs: [1] },
    );
    await Promise.all([gc.push(1), gc.push(2)]);
    expect(written).toEqual([1, 2]);
    expect(gc.stats.failures).toBe(2);
  });

  it('barriers store nothing and wait for what came before', async () => {
    const written: number[] = [];
    const gc = new GroupCommit<number>(async (items) => void written.push(...items));
    const p = gc.push(7);
    await gc.barrier();
    expect(written).toEqual([7]);
    await p;
  });
});
