import { daysBetween } from './dates.js';

/** Finish-to-start: `successor` should not start before `predecessor` is due. */
export interface DependencyEdge {
  predecessorId: string;
  successorId: string;
}

/**
 * If adding `candidate` would close a cycle, returns it as a list of milestone ids starting and
 * ending with the candidate's predecessor (e.g. [a, b, c, a]); otherwise null. A self-dependency is
 * the shortest cycle, [a, a].
 */
export function findCycle(edges: readonly DependencyEdge[], candidate: DependencyEdge): string[] | null {
  const { predecessorId: from, successorId: to } = candidate;
  if (from === to) return [from, from];
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const list = next.get(e.predecessorId);
    if (list) list.push(e.successorId);
    else next.set(e.predecessorId, [e.successorId]);
  }
  // Breadth-first from the candidate's successor: reaching its predecessor means a cycle.
  const cameFrom = new Map<string, string>([[to, from]]);
  const queue = [to];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    if (node === from) {
      const path = [from];
      let at = from;
      while (at !== to) {
        at = cameFrom.get(at)!;
        path.push(at);
      }
      // path is from ← … ← to; the cycle reads from → to → … → from
      return [from, ...path.slice(1).reverse(), from];
    }
    for (const succ of next.get(node) ?? []) {
      if (!cameFrom.has(succ)) {
        cameFrom.set(succ, node);
        queue.push(succ);
      }
    }
  }
  return null;
}

export interface ScheduledMilestone {
  id: string;
  startDate: string | null;
  dueDate: string | null;
}

export interface DependencyViolation {
  predecessorId: string;
  successorId: string;
  /** how many days the successor starts before the predecessor is due */
  overlapDays: number;
}

/** Dependencies whose successor starts before its predecessor's due date. Reported, not refused. */
export function dependencyViolations(milestones: readonly ScheduledMilestone[], edges: readonly DependencyEdge[]): DependencyViolation[] {
  const byId = new Map(milestones.map((m) => [m.id, m]));
  const out: DependencyViolation[] = [];
  for (const e of edges) {
    const pred = byId.get(e.predecessorId);
    const succ = byId.get(e.successorId);
    const successorStart = succ?.startDate ?? succ?.dueDate;
    if (!pred?.dueDate || !successorStart) continue;
    const overlap = daysBetween(successorStart, pred.dueDate);
    if (overlap > 0) out.push({ predecessorId: e.predecessorId, successorId: e.successorId, overlapDays: overlap });
  }
  return out;
}
