import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { readsAllPrograms } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { hashSecretToken, looksLikeSecretToken, newSecretToken } from '../reports/tokens';
import { User } from '../users/user.entity';
import { CalendarToken } from './calendar-token.entity';
import { renderCalendar, type AllDayEvent } from './ics';

export interface CalendarTokenStatus {
  /** whether a feed exists; its URL was shown once, when it was made, and cannot be shown again */
  exists: boolean;
  createdAt: string | null;
}

interface EventRow {
  id: string;
  title: string;
  day: string;
  status: string;
  updated_at: Date;
  key: string;
  program_name: string;
}

/** The same answer for a token that never existed, was reset, or whose owner left. */
const feedNotFound = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Not found' });

/**
 * A person's calendar feed: milestone due dates and wave go-lives of every program they may read.
 * The feed URL carries a secret token (only its HMAC is stored); making a new one replaces the
 * old, which stops working at once.
 */
@Injectable()
export class CalendarService {
  constructor(private readonly em: EntityManager, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async status(actor: Actor): Promise<CalendarTokenStatus> {
    const token = await this.em.findOne(CalendarToken, { user: actor.id });
    return { exists: Boolean(token), createdAt: token?.createdAt.toISOString() ?? null };
  }

  /** Creates the feed, or replaces its token; the URL is returned only here. */
  async reset(actor: Actor): Promise<{ url: string }> {
    const token = newSecretToken();
    await this.em.transactional(async (tx) => {
      await tx.nativeDelete(CalendarToken, { user: actor.id });
      tx.create(CalendarToken, { user: tx.getReference(User, actor.id), tokenHash: this.hash(token), createdAt: new Date() });
    });
    return { url: `/api/v1/calendar/${token}.ics` };
  }

  async remove(actor: Actor): Promise<void> {
    await this.em.nativeDelete(CalendarToken, { user: actor.id });
  }

  /** `file` is the last path segment: `<token>.ics`. */
  async feed(file: string): Promise<string> {
    const token = file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : '';
    if (!looksLikeSecretToken(token)) throw feedNotFound();
    const row = await this.em.findOne(CalendarToken, { tokenHash: this.hash(token) }, { populate: ['user'] });
    if (!row || !row.user.active) throw feedNotFound();
    const { id, email, name, orgRole } = row.user;
    const events = await this.events({ id, email, name, orgRole });
    return renderCalendar({ prodId: '-//Tandem//Program calendar//EN', name: `Tandem — ${name}`, events });
  }

  /** Milestones with a due date and waves with a planned go-live, in non-archived programs the person may read. */
  private async events(actor: Actor): Promise<AllDayEvent[]> {
    const readable = readsAllPrograms(actor.orgRole) ? '' : 'and exists (select 1 from program_member pm where pm.program_id = p.id and pm.user_id = ?)';
    const params = readable ? [actor.id] : [];
    const conn = this.em.getConnection();
    const milestones = await conn.execute<EventRow[]>(
      `select m.id, m.title, m.due_date::text as day, m.status, m.updated_at, p.key, p.name as program_name
       from milestone m join program p on p.id = m.program_id
       where p.archived_at is null and m.due_date is not null ${readable}
       order by m.due_date, p.key, m.position, m.id`,
      params,
    );
    const waves = await conn.execute<EventRow[]>(
      `select w.id, w.name as title, w.planned_go_live::text as day, w.status, w.updated_at, p.key, p.name as program_name
       from wave w join program p on p.id = w.program_id
       where p.archived_at is null and w.planned_go_live is not null ${readable}
       order by w.planned_go_live, p.key, w.position, w.id`,
      params,
    );
    return [
      ...milestones.map((m) => ({
        uid: `milestone-${m.id}@tandem`,
        date: m.day,
        summary: `[${m.key}] ${m.title}`,
        description: `Milestone of ${m.program_name} (${m.status.replace('_', ' ')})`,
        categories: 'Milestone',
        lastModified: new Date(m.updated_at),
      })),
      ...waves.map((w) => ({
        uid: `wave-${w.id}@tandem`,
        date: w.day,
        summary: `[${w.key}] ${w.title} go-live`,
        description: `Planned go-live of ${w.title} in ${w.program_name} (${w.status.replace('_', ' ')})`,
        categories: 'Go-live',
        lastModified: new Date(w.updated_at),
      })),
    ];
  }

  private hash(token: string): string {
    return hashSecretToken(this.config.sessionSecret, token);
  }
}
