import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager, type EntityClass } from '@mikro-orm/postgresql';
import { mayChange } from '@tandem/domain';
import { AccessService, type ProgramAccess, type ProgramNeed } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { LiveEvents } from '../live/live.events';
import type { ProgramChangeEvent } from '../live/live.protocol';
import { programArchivedMessage, type Program } from '../programs/program.entity';
import { User } from '../users/user.entity';
import { Activity, type FieldChanges } from './activity.entity';

export interface ActivityEntry {
  entityType: string;
  entityId: string | null;
  action: string;
  summary: string;
  changes?: FieldChanges;
  /** socket.io rooms beyond the program's that should hear about it (e.g. a newly added member) */
  notify?: string[];
}

/** What a change to a program runs with: the transaction, the program and who is acting. */
export interface ChangeContext extends ProgramAccess {
  tx: EntityManager;
  actor: Actor;
  /** writes an activity row in this transaction; its live event goes out after commit */
  record(entry: ActivityEntry): void;
}

export interface ChangeOptions {
  /**
   * The change stays possible while the program is archived: archiving and restoring it, its
   * members, share links to its report. Everything else is refused with 409 then — an archived
   * program is read-only, as the web shows it.
   */
  whileArchived?: boolean;
}

/**
 * Every write to a program goes through here: the access check, the archived check, one
 * transaction holding the change and its activity rows, then — only after commit — the live
 * events for open pages.
 */
@Injectable()
export class ProgramChanges {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly live: LiveEvents) {}

  async apply<T>(actor: Actor, programIdOrKey: string, need: ProgramNeed, work: (ctx: ChangeContext) => Promise<T>, options: ChangeOptions = {}): Promise<T> {
    return this.run(actor, await this.access.requireProgram(actor, programIdOrKey, need), need, work, options);
  }

  /**
   * A change to one child of a program (a milestone, a wave…), addressed by its own id: the child
   * is re-read inside the transaction and handed to `work`. 404 names the child.
   */
  async applyToChild<E extends { program: Program }, T>(
    actor: Actor,
    entity: EntityClass<E>,
    id: string,
    label: string,
    need: ProgramNeed,
    work: (ctx: ChangeContext, child: E) => Promise<T>,
    options: ChangeOptions = {},
  ): Promise<T> {
    const access = await this.access.requireChild(actor, entity, id, label, need);
    return this.run(
      actor,
      access,
      need,
      async (ctx) => {
        const child = await ctx.tx.findOne(entity, { id } as never);
        if (!child) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `${label} not found` });
        return work(ctx, child);
      },
      options,
    );
  }

  private async run<T>(actor: Actor, access: ProgramAccess, need: ProgramNeed, work: (ctx: ChangeContext) => Promise<T>, options: ChangeOptions): Promise<T> {
    // The access check passed, so only archiving can stand in the way here.
    this.refuseIfArchived(access, need, options);
    const events: { event: ProgramChangeEvent; alsoTo: string[] }[] = [];
    const result = await this.em.transactional(async (tx) => {
      // Changes to one program run one after another: each takes the program's row first and
      // sees what the previous one committed. The check above was made before this transaction;
      // an archive (or a delete of what `work` is about to refer to) committed meanwhile must
      // still stop this change, not land after it.
      const [row] = await tx.execute<{ archived_at: Date | string | null }[]>('select archived_at from program where id = ? for no key update', [access.program.id]);
      if (!row) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Program not found' });
      const archivedAt = row.archived_at === null ? null : new Date(row.archived_at).getTime();
      if (archivedAt !== (access.program.archivedAt?.getTime() ?? null)) {
        await tx.refresh(access.program);
        this.refuseIfArchived(access, need, options);
      }
      const ctx: ChangeContext = {
        ...access,
        tx,
        actor,
        record: (entry) => {
          const row = tx.create(Activity, {
            program: access.program,
            actor: tx.getReference(User, actor.id),
            entityType: entry.entityType,
            entityId: entry.entityId,
            action: entry.action,
            summary: entry.summary.slice(0, 500),
            changes: entry.changes ?? {},
          });
          events.push({
            event: {
              programId: access.program.id,
              entityType: entry.entityType,
              entityId: entry.entityId,
              action: entry.action,
              actorId: actor.id,
              at: row.at.toISOString(),
            },
            alsoTo: entry.notify ?? [],
          });
        },
      };
      return work(ctx);
    });
    for (const { event, alsoTo } of events) this.live.publish(event, alsoTo);
    return result;
  }

  private refuseIfArchived(access: ProgramAccess, need: ProgramNeed, options: ChangeOptions): void {
    if (!options.whileArchived && need !== 'read' && !mayChange({ ability: access.ability, archivedAt: access.program.archivedAt }, need)) throw new ConflictException({ statusCode: 409, error: 'Conflict', message: programArchivedMessage(access.program) });
  }
}
