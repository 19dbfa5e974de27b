import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { readsAllPrograms, todayUtc, type ComputedHealth, type Health, type PortfolioQuery, type ProgramSignals, type ProgramStatus } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { SignalsService, uuidArray } from '../signals/signals.service';
import { DerivedCache, type Stamped } from './derived-cache';
import { RecentAnswers, WholeAnswers, withPreparedJson, type PreparedJson } from './prepared-json';

/** How many of the latest status updates the trend shows. */
export const TREND_LENGTH = 6;
/** How long a cached row is served before it is rebuilt in the background (see DerivedCache). */
export const ROW_MAX_AGE_MS = 30_000;

export interface PortfolioRow {
  program: { id: string; key: string; name: string; status: ProgramStatus };
  owner: { id: string; name: string };
  team: { id: string; name: string } | null;
  reported: { health: Health; at: string } | null;
  computed: ComputedHealth;
  signals: ProgramSignals;
  nextMilestone: { id: string; title: string; dueDate: string } | null;
  milestonesDone: { done: number; total: number; percent: number };
  /** health of the latest updates, oldest first */
  trend: Health[];
}

interface ProgramRecord {
  id: string;
  key: string;
  name: string;
  status: ProgramStatus;
  owner_id: string;
  owner_name: string;
  team_id: string | null;
  team_name: string | null;
  reported_health: Health | null;
  reported_at: Date | null;
}

/** Programs with their owners and teams. */
const PROGRAMS = `program p join "user" o on o.id = p.owner_id left join team t on t.id = p.team_id`;

/** Each program's latest status update, as `lu`. */
const LATEST_UPDATE = `left join lateral (
         select su.health, su.created_at from status_update su where su.program_id = p.id order by su.created_at desc, su.id desc limit 1
       ) lu on true`;

/**
 * Everything a row shows that can change without the date changing. The plan, the program's own
 * fields and its status updates through `program.revision`, which a trigger bumps in every
 * transaction that records activity for the program — and every write to those records some. The
 * owner's and the team's names directly: renaming a person or a team is no activity of the
 * program. A short text, cheap to compute for every program on every request.
 */
const STAMP = `row(p.revision, p.key, p.name, p.status, o.name, t.name)::text`;

/** The organisation's portfolio version (see the migration that keeps it). */
const VERSION = `(select v.version::text from portfolio_version v where v.id = 1)`;

/**
 * What decides an answer besides the day: the organisation's version (every program write,
 * membership change and rename bumps it), whose programs (everyone who may read all of them sees
 * the same) and the filters.
 */
function answerKey(version: string, actor: Actor, query: PortfolioQuery): string {
  const who = readsAllPrograms(actor.orgRole) ? '*' : actor.id;
  return [version, who, query.teamId ?? '', query.ownerId ?? '', query.health ?? ''].join(' ');
}

/** A row and its JSON, kept together so an unchanged row is never serialised twice. */
interface CachedRow {
  row: PortfolioRow;
  json: string;
}

/**
 * One row per readable, non-archived program. Every request first reads the organisation's
 * portfolio version: an answer built recently at that version for the same readers and filters is
 * sent again as it was, with nothing read, joined or serialised. Otherwise it reads the readable
 * programs with their stamps; rows are cached per program, serialised, under that stamp and
 * today's date (the
 * signals count days), so only changed programs are computed — at five hundred programs the JSON
 * alone was most of a request. Programs that did change are computed together in a fixed number
 * of queries (their records, signals, next milestones, milestone counts, trend), so the portfolio
 * costs the same for four programs or five hundred.
 */
@Injectable()
export class PortfolioService {
  private readonly rows = new DerivedCache<CachedRow>(ROW_MAX_AGE_MS);
  private readonly answers = new RecentAnswers<CachedRow>(16, (rows) => `{"items":[${rows.join(',')}]}`);
  private readonly whole = new WholeAnswers<{ value: { items: PortfolioRow[] }; json: PreparedJson }>(64, ROW_MAX_AGE_MS);
  /** answers being built, by day and answer key; a build may come back at a newer version, never an older one */
  private readonly building = new Map<string, Promise<{ items: PortfolioRow[] }>>();

  constructor(private readonly em: EntityManager, private readonly signals: SignalsService) {}

  /** The answer, with its JSON attached for `SendsPreparedJson`. */
  async list(actor: Actor, query: PortfolioQuery, today = todayUtc()): Promise<{ items: PortfolioRow[] }> {
    const connection = this.em.getConnection();
    // An organisation that has not changed since a recent request costs one row from PostgreSQL.
    const [current] = await connection.execute<{ version: string }[]>(`select ${VERSION} as version`);
    if (!current) return this.answer(actor, query, today);
    const key = answerKey(current.version, actor, query);
    const hit = this.whole.get(today, key);
    if (hit) return withPreparedJson(hit.value, hit.json);
    // Requests that find the organisation changed at the same moment (at 200 a second, several
    // arrive while one answer is built) share that one build instead of each reading 500 stamps.
    const buildKey = `${today} ${key}`;
    let building = this.building.get(buildKey);
    if (!building) {
      building = this.answer(actor, query, today).finally(() => this.building.delete(buildKey));
      this.building.set(buildKey, building);
    }
    return building;
  }

  /** Builds the answer from the readable programs' stamps and the per-program rows, and keeps it. */
  private async answer(actor: Actor, query: PortfolioQuery, today: string): Promise<{ items: PortfolioRow[] }> {
    const connection = this.em.getConnection();
    const { from, where, params } = this.scope(actor, query);
    // The version in the same statement (one snapshot) as the programs and stamps the answer is built from.
    const programs = await connection.execute<(Stamped & { version: string })[]>(
      `select p.id, ${STAMP} as stamp, ${VERSION} as version from ${from} where ${where} order by p.key`,
      params,
    );
    const cached = await this.rows.get(programs, today, async (ids) => {
      const rows = await this.build(ids, today);
      return new Map(rows.map((row) => [row.program.id, { row, json: JSON.stringify(row) }]));
    });
    // a program deleted between the two reads has no row
    const rows = programs.map((p) => cached.get(p.id)).filter((r) => r !== undefined);
    const value = { items: rows.map((r) => r.row) };
    const json = this.answers.get(rows);
    const version = programs[0]?.version;
    if (version !== undefined && rows.length === programs.length) this.whole.set(today, answerKey(version, actor, query), { value, json });
    return withPreparedJson(value, json);
  }

  private async build(ids: string[], today: string): Promise<PortfolioRow[]> {
    const [programs, health, next, counts, trends] = await Promise.all([
      this.records(ids),
      this.signals.forPrograms(ids, today),
      this.nextMilestones(ids, today),
      this.milestoneCounts(ids),
      this.trends(ids),
    ]);
    return programs.map((p) => {
      const { signals, computed } = health.get(p.id)!;
      const { done, total } = counts.get(p.id) ?? { done: 0, total: 0 };
      return {
        program: { id: p.id, key: p.key, name: p.name, status: p.status },
        owner: { id: p.owner_id, name: p.owner_name },
        team: p.team_id && p.team_name ? { id: p.team_id, name: p.team_name } : null,
        reported: p.reported_health && p.reported_at ? { health: p.reported_health, at: new Date(p.reported_at).toISOString() } : null,
        computed,
        signals,
        nextMilestone: next.get(p.id) ?? null,
        milestonesDone: { done, total, percent: total ? Math.floor((done * 100) / total) : 0 },
        trend: trends.get(p.id) ?? [],
      };
    });
  }

  /** The readable programs, filtered: the FROM and WHERE of the statement that lists them. */
  private scope(actor: Actor, query: PortfolioQuery): { from: string; where: string; params: string[] } {
    const where = ['p.archived_at is null'];
    const params: string[] = [];
    const filter = (clause: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(clause);
      params.push(value);
    };
    if (!readsAllPrograms(actor.orgRole)) filter('exists (select 1 from program_member pm where pm.program_id = p.id and pm.user_id = ?)', actor.id);
    filter('p.team_id = ?', query.teamId);
    filter('p.owner_id = ?', query.ownerId);
    filter('lu.health = ?', query.health);
    return { from: query.health === undefined ? PROGRAMS : `${PROGRAMS} ${LATEST_UPDATE}`, where: where.join(' and '), params };
  }

  /** What the rows of these programs show of them. */
  private records(ids: readonly string[]): Promise<ProgramRecord[]> {
    return this.em.getConnection().execute<ProgramRecord[]>(
      `select p.id, p.key, p.name, p.status, o.id as owner_id, o.name as owner_name, t.id as team_id, t.name as team_name,
              lu.health as reported_health, lu.created_at as reported_at
       from ${PROGRAMS} ${LATEST_UPDATE}
       where p.id = any(?::uuid[])`,
      [uuidArray(ids)],
    );
  }

  /** The earliest open milestone due today or later; failing that, the earliest overdue one. */
  private async nextMilestones(ids: readonly string[], today: string): Promise<Map<string, { id: string; title: string; dueDate: string }>> {
    const rows = await this.em.getConnection().execute<{ program_id: string; id: string; title: string; due_date: string }[]>(
      `select distinct on (program_id) program_id, id, title, due_date::text as due_date
       from milestone
       where program_id = any(?::uuid[]) and status <> 'done' and due_date is not null
       order by program_id, (due_date < ?::date), due_date, position, id`,
      [uuidArray(ids), today],
    );
    return new Map(rows.map((r) => [r.program_id, { id: r.id, title: r.title, dueDate: r.due_date }]));
  }

  private async milestoneCounts(ids: readonly string[]): Promise<Map<string, { done: number; total: number }>> {
    const rows = await this.em.getConnection().execute<{ program_id: string; done: string; total: string }[]>(
      `select program_id, count(*) filter (where status = 'done') as done, count(*) as total
       from milestone where program_id = any(?::uuid[]) group by program_id`,
      [uuidArray(ids)],
    );
    return new Map(rows.map((r) => [r.program_id, { done: Number(r.done), total: Number(r.total) }]));
  }

  private async trends(ids: readonly string[]): Promise<Map<string, Health[]>> {
    const rows = await this.em.getConnection().execute<{ program_id: string; health: Health }[]>(
      `select program_id, health from (
         select program_id, health, created_at, id,
                row_number() over (partition by program_id order by created_at desc, id desc) as n
         from status_update where program_id = any(?::uuid[])
       ) latest
       where n <= ?
       order by program_id, created_at, id`,
      [uuidArray(ids), TREND_LENGTH],
    );
    const out = new Map<string, Health[]>();
    for (const r of rows) out.set(r.program_id, [...(out.get(r.program_id) ?? []), r.health]);
    return out;
  }
}
