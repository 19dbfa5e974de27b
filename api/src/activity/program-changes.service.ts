import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AccessService, type ProgramAccess, type ProgramNeed } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { LiveEvents } from '../live/live.events';
import type { ProgramChangeEvent } from '../live/live.protocol';
import { User } from '../users/user.entity';
import { Activity, type FieldChanges } from './activity.entity';

export interface ActivityEntry {
  entityType: string;
  entityId: string | null;
  action: string;
  summary: string;
  changes?: FieldChanges;
}

/** What a change to a program runs with: the transaction, the program and who is acting. */
export interface ChangeContext extends ProgramAccess {
  tx: EntityManager;
  actor: Actor;
  /** writes an activity row in this transaction; its live event goes out after commit */
  record(entry: ActivityEntry): void;
}

/**
 * Every write to a program goes through here: the access check, one transaction holding the
 * change and its activity rows, then — only after commit — the live events for open pages.
 */
@Injectable()
export class ProgramChanges {
  constructor(private readonly em: EntityManager, private readonly access: AccessService, private readonly live: LiveEvents) {}

  async apply<T>(actor: Actor, programIdOrKey: string, need: ProgramNeed, work: (ctx: ChangeContext) => Promise<T>): Promise<T> {
    const access = await this.access.requireProgram(actor, programIdOrKey, need);
    const events: ProgramChangeEvent[] = [];
    const result = await this.em.transactional(async (tx) => {
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
            programId: access.program.id,
            entityType: entry.entityType,
            entityId: entry.entityId,
            action: entry.action,
            actorId: actor.id,
            at: row.at.toISOString(),
          });
        },
      };
      return work(ctx);
    });
    for (const event of events) this.live.publish(event);
    return result;
  }
}
