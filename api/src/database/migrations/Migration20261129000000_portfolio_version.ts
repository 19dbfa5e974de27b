import { Migration } from '@mikro-orm/migrations';

/**
 * One number for the whole organisation's portfolio: bumped in the transaction of every write that
 * changes what any portfolio row shows — every program write (through the activity trigger that
 * bumps `program.revision`), a person's or a team's name. The portfolio answers an unchanged
 * organisation from memory after reading this one row, instead of reading every program.
 *
 * The update takes the row's lock until commit, so writes to different programs now commit one
 * at a time from their activity insert (in the final flush) on; a reader never sees a version
 * before the writes it stands for.
 */
export class Migration20261129000000_portfolio_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "portfolio_version" ("id" smallint not null, "version" bigint not null default 0, constraint "portfolio_version_pkey" primary key ("id"));`);
    this.addSql(`insert into "portfolio_version" ("id", "version") values (1, 0);`);
    this.addSql(`create or replace function "program_revision_bump"() returns trigger language plpgsql as $$
      begin
        update "program" p set "revision" = p."revision" + 1 from (select distinct "program_id" from recorded) r where p."id" = r."program_id";
        update "portfolio_version" set "version" = "version" + 1;
        return null;
      end $$;`);
    this.addSql(`create function "portfolio_version_bump"() returns trigger language plpgsql as $$
      begin
        update "portfolio_version" set "version" = "version" + 1;
        return null;
      end $$;`);
    this.addSql(`create trigger "user_name_bumps_portfolio_version" after update of "name" on "user" for each statement execute function "portfolio_version_bump"();`);
    this.addSql(`create trigger "team_bumps_portfolio_version" after update of "name" or delete on "team" for each statement execute function "portfolio_version_bump"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "team_bumps_portfolio_version" on "team";`);
    this.addSql(`drop trigger "user_name_bumps_portfolio_version" on "user";`);
    this.addSql(`drop function "portfolio_version_bump"();`);
    this.addSql(`create or replace function "program_revision_bump"() returns trigger language plpgsql as $$
      begin
        update "program" p set "revision" = p."revision" + 1 from (select distinct "program_id" from recorded) r where p."id" = r."program_id";
        return null;
      end $$;`);
    this.addSql(`drop table "portfolio_version";`);
  }
}
