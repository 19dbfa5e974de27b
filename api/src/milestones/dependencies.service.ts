import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { dependencyViolations, findCycle, type AddDependencyInput, type DependencyViolation } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import { ProgramChanges } from '../activity/program-changes.service';
import type { Actor } from '../auth/auth.types';
import { Milestone, MilestoneDependency } from './milestone.entity';
import type { DependencyView } from './milestone.view';

const conflict = (body: Record<string, unknown> & { message: string }) => new ConflictException({ statusCode: 409, error: 'Conflict', ...body });
const notFound = (message: string) => new NotFoundException({ statusCode: 404, error: 'Not Found', message });
const edge = (d: MilestoneDependency): DependencyView => ({ predecessorId: d.predecessor.id, successorId: d.successor.id });

/** Finish-to-start dependencies between milestones of one program. The rules are `@tandem/domain`'s. */
@Injectable()
export class DependenciesService {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly changes: ProgramChanges) {}

  /** Every dependency, and those whose successor starts before its predecessor is due (reported, not refused). */
  async list(actor: Actor, programIdOrKey: string): Promise<{ items: DependencyView[]; violations: DependencyViolation[] }> {
    const { program } = await this.access.requireProgram(actor, programIdOrKey, 'read');
    const [deps, milestones] = await Promise.all([
      this.em.find(MilestoneDependency, { program }, { orderBy: { createdAt: 'asc', predecessor: 'asc', successor: 'asc' } }),
      this.em.find(Milestone, { program }, { fields: ['id', 'startDate', 'dueDate'] }),
    ]);
    const items = deps.map(edge);
    return { items, violations: dependencyViolations(milestones, items) };
  }

  /** Both ends must be milestones of this program (404 otherwise); a duplicate or a cycle is a 409, also between concurrent requests. */
  async add(actor: Actor, programIdOrKey: string, input: AddDependencyInput): Promise<DependencyView> {
    return this.changes.apply(actor, programIdOrKey, 'write', async ({ tx, program, record }) => {
      // Two opposite edges checked side by side would each miss the other and both commit, leaving
      // a cycle: ProgramChanges runs one change of a program at a time (it locks the program's row
      // first), so the second one sees the first.
      const milestones = await tx.find(Milestone, { program });
      const byId = new Map(milestones.map((m) => [m.id, m]));
      const predecessor = byId.get(input.predecessorId.toLowerCase());
      const successor = byId.get(input.successorId.toLowerCase());
      if (!predecessor) throw notFound(`Milestone ${input.predecessorId} not found`);
      if (!successor) throw notFound(`Milestone ${input.successorId} not found`);
      const existing = (await tx.find(MilestoneDependency, { program })).map(edge);
      if (existing.some((e) => e.predecessorId === predecessor.id && e.successorId === successor.id)) {
        throw conflict({ message: `"${successor.title}" already depends on "${predecessor.title}"` });
      }
      const cycle = findCycle(existing, { predecessorId: predecessor.id, successorId: successor.id });
      if (cycle) {
        const named = cycle.map((id) => ({ id, title: byId.get(id)?.title ?? id }));
        throw conflict({ message: `That dependency would create a cycle: ${named.map((m) => m.title).join(' → ')}`, cycle: named });
      }
      tx.create(MilestoneDependency, { predecessor, successor, program });
      record({
        entityType: 'dependency',
        entityId: successor.id,
        action: 'created',
        summary: `"${successor.title}" now waits for "${predecessor.title}"`,
        changes: { predecessorId: { before: null, after: predecessor.id } },
      });
      return { predecessorId: predecessor.id, successorId: successor.id };
    });
  }

  async remove(actor: Actor, programIdOrKey: string, predecessorId: string, successorId: string): Promise<void> {
    await this.changes.apply(actor, programIdOrKey, 'write', async ({ tx, program, record }) => {
      const dep = await tx.findOne(MilestoneDependency, { predecessor: predecessorId, successor: successorId, program }, { populate: ['predecessor', 'successor'] });
      if (!dep) throw notFound('Dependency not found');
      record({
        entityType: 'dependency',
        entityId: successorId,
        action: 'deleted',
        summary: `"${dep.successor.title}" no longer waits for "${dep.predecessor.title}"`,
        changes: { predecessorId: { before: predecessorId, after: null } },
      });
      tx.remove(dep);
    });
  }
}
