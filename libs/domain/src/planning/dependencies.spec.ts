import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dependencyViolations, findCycle, type DependencyEdge } from './dependencies.js';

const e = (predecessorId: string, successorId: string): DependencyEdge => ({ predecessorId, successorId });

describe('findCycle', () => {
  it('allows an edge that closes no loop', () => {
    expect(findCycle([e('a', 'b'), e('b', 'c')], e('a', 'c'))).toBeNull();
  });

  it('names the cycle an edge would close, in order', () => {
    expect(findCycle([e('a', 'b'), e('b', 'c')], e('c', 'a'))).toEqual(['c', 'a', 'b', 'c']);
  });

  it('treats a self-dependency as a cycle', () => {
    expect(findCycle([], e('a', 'a'))).toEqual(['a', 'a']);
  });

  it('finds a cycle through a diamond', () => {
    const edges = [e('a', 'b'), e('a', 'c'), e('b', 'd'), e('c', 'd')];
    const cycle = findCycle(edges, e('d', 'a'));
    expect(cycle?.[0]).toBe('d');
    expect(cycle?.at(-1)).toBe('d');
    expect(cycle).toHaveLength(4);
  });

  it('keeps every accepted graph acyclic, and every reported cycle is real (property)', () => {
    const node = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    fc.assert(
      fc.property(fc.array(fc.tuple(node, node), { maxLength: 30 }), (pairs) => {
        const accepted: DependencyEdge[] = [];
        for (const [p, s] of pairs) {
          const cycle = findCycle(accepted, e(p, s));
          if (cycle === null) {
            accepted.push(e(p, s));
            continue;
          }
          // the reported cycle starts with the candidate edge and follows existing edges back
          expect(cycle[0]).toBe(p);
          expect(cycle[1]).toBe(s);
          expect(cycle.at(-1)).toBe(p);
          for (let i = 1; i < cycle.length - 1; i++) {
            expect(accepted.some((x) => x.predecessorId === cycle[i] && x.successorId === cycle[i + 1])).toBe(true);
          }
        }
        // a topological order exists for what was accepted
        const indegree = new Map<string, number>();
        for (const x of accepted) indegree.set(x.successorId, (indegree.get(x.successorId) ?? 0) + 1);
        const ready = ['a', 'b', 'c', 'd', 'e', 'f'].filter((n) => !indegree.get(n));
        let visited = 0;
        while (ready.length) {
          const n = ready.pop()!;
          visited++;
          for (const x of accepted.filter((y) => y.predecessorId === n)) {
            const d = indegree.get(x.successorId)! - 1;
            indegree.set(x.successorId, d);
            if (d === 0) ready.push(x.successorId);
          }
        }
        expect(visited).toBe(6);
      }),
    );
  });
});

describe('dependencyViolations', () => {
  const ms = [
    { id: 'policy', startDate: '2026-01-01', dueDate: '2026-01-20' },
    { id: 'training', startDate: '2026-01-15', dueDate: '2026-02-01' },
    { id: 'pilot', startDate: '2026-02-01', dueDate: '2026-02-15' },
  ];

  it('reports a successor that starts before its predecessor is due, with the overlap', () => {
    expect(dependencyViolations(ms, [e('policy', 'training'), e('training', 'pilot')])).toEqual([
      { predecessorId: 'policy', successorId: 'training', overlapDays: 5 },
    ]);
  });

  it('ignores milestones without dates', () => {
    expect(dependencyViolations([{ id: 'x', startDate: null, dueDate: null }, ...ms], [e('x', 'pilot'), e('pilot', 'x')])).toEqual([]);
  });
});
