import { Migration } from '@mikro-orm/migrations';

/**
 * What the portfolio needs to serve five hundred programs per request cheaply.
 *
 * `program.revision` counts the program's activity entries, kept by a trigger in the transaction
 * that records them (every write to a program records one): the portfolio caches each program's
 * row under it. The trigger's row lock also orders concurrent writers to one program, so a
 * revision never becomes visible before the writes it stands for. One statement-level trigger, so
 * a write recording several entries bumps the program once.
 *
 * The latest status update of each program is read in index order: with `id` in the index, the
 * per-program lookup (and the updates list, newest first) needs no sort per program.
 */
export class Migration20261126000000_portfolio extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "program" add column "revision" int not null default 0;`);
    this.addSql(`create function "program_revision_bump"() returns trigger language plpgsql as $$
      begin
        update "program" p set "revision" = p."revision" + 1 from (select distinct "program_id" from recorded) r where p."id" = r."program_id";
        return null;
      end $$;`);
    this.addSql(`create trigger "activity_bumps_program_revision" after insert on "activity" referencing new table as recorded for each statement execute function "program_revision_bump"();`);
    this.addSql(`create index "status_update_program_id_created_at_id_index" on "status_update" ("program_id", "created_at", "id");`);
    this.addSql(`drop index "status_update_program_id_created_at_index";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "status_update_program_id_created_at_index" on "status_update" ("program_id", "created_at");`);
    this.addSql(`drop index "status_update_program_id_created_at_id_index";`);
    this.addSql(`drop trigger "activity_bumps_program_revision" on "activity";`);
    this.addSql(`drop function "program_revision_bump"();`);
    this.addSql(`alter table "program" drop column "revision";`);
  }
}
