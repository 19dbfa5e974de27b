import { describe, expect, it } from 'vitest';
import { DerivedCache } from './derived-cache';

/** The cache on its own: a fake clock and a compute function that records what it was asked for. */
function setup(maxAgeMs = 1000) {
  let now = 0;
  const cache = new DerivedCache<string>(maxAgeMs, () => now, () => 0.5);
  const calls: string[][] = [];
  let version = 1;
  const compute = async (ids: string[]) => {
    calls.push(ids);
    await new Promise((r) => setTimeout(r, 5));
    return new Map(ids.map((id) => [id, `${id}@v${version}`]));
  };
  return {
    cache,
    calls,
    compute,
    tick: (ms: number) => (now += ms),
    bump: () => version++,
  };
}

const programs = (...pairs: [string, string][]) => pairs.map(([id, stamp]) => ({ id, stamp }));

describe('DerivedCache', () => {
  it('computes the missing programs in one batch, then serves them without computing', async () => {
    const { cache, calls, compute } = setup();
    const first = await cache.get(programs(['a', '1'], ['b', '1']), '2026-01-01', compute);
    const second = await cache.get(programs(['a', '1'], ['b', '1']), '2026-01-01', compute);
    expect([...first]).toEqual([['a', 'a@v1'], ['b', 'b@v1']]);
    expect(second).toEqual(first);
    expect(calls).toEqual([['a', 'b']]);
  });

  it('recomputes only the program whose stamp changed', async () => {
    const { cache, calls, compute, bump } = setup();
    await cache.get(programs(['a', '1'], ['b', '1']), '2026-01-01', compute);
    bump();
    const after = await cache.get(programs(['a', '1'], ['b', '2']), '2026-01-01', compute);
    expect(after.get('a')).toBe('a@v1');
    expect(after.get('b')).toBe('b@v2');
    expect(calls).toEqual([['a', 'b'], ['b']]);
  });

  it('recomputes everything when the day turns', async () => {
    const { cache, calls, compute } = setup();
    await cache.get(programs(['a', '1']), '2026-01-01', compute);
    await cache.get(programs(['a', '1']), '2026-01-02', compute);
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('lets concurrent requests share one computation', async () => {
    const { cache, calls, compute } = setup();
    const [x, y] = await Promise.all([
      cache.get(programs(['a', '1'], ['b', '1']), '2026-01-01', compute),
      cache.get(programs(['b', '1'], ['c', '1']), '2026-01-01', compute),
    ]);
    expect(calls).toEqual([['a', 'b'], ['c']]);
    expect(x.get('b')).toBe('b@v1');
    expect([...y]).toEqual([['b', 'b@v1'], ['c', 'c@v1']]);
  });

  it('serves an old entry at once and refreshes it in the background', async () => {
    const { cache, calls, compute, tick, bump } = setup(1000);
    await cache.get(programs(['a', '1']), '2026-01-01', compute);
    tick(1499);
    await cache.get(programs(['a', '1']), '2026-01-01', compute);
    expect(calls).toHaveLength(1); // 1000 ms spread to 1500 by the (fixed) random draw
    tick(1);
    bump();
    const served = await cache.get(programs(['a', '1']), '2026-01-01', compute);
    expect(served.get('a')).toBe('a@v1');
    await new Promise((r) => setTimeout(r, 20));
    expect((await cache.get(programs(['a', '1']), '2026-01-01', compute)).get('a')).toBe('a@v2');
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('refreshes one batch at a time in the background', async () => {
    const { cache, calls, compute, tick } = setup(1000);
    await cache.get(programs(['a', '1'], ['b', '1']), '2026-01-01', compute);
    tick(1500);
    await cache.get(programs(['a', '1']), '2026-01-01', compute);
    await cache.get(programs(['b', '1']), '2026-01-01', compute);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([['a', 'b'], ['a']]);
    await cache.get(programs(['b', '1']), '2026-01-01', compute);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([['a', 'b'], ['a'], ['b']]);
  });

  it('keeps nothing from a failed computation, and the next request tries again', async () => {
    const { cache, compute } = setup();
    await expect(cache.get(programs(['a', '1']), '2026-01-01', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect((await cache.get(programs(['a', '1']), '2026-01-01', compute)).get('a')).toBe('a@v1');
  });
});
