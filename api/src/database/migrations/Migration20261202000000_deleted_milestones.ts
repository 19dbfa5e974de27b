import { Migration } from '@mikro-orm/migrations';

/**
 * Deleting a milestone keeps what the delete took with it (see DeletedMilestone), so Undo and
 * "Deleted milestones" can put it all back with the same ids.
 */
export class Migration20261202000000_deleted_milestones extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "deleted_milestone" ("id" uuid not null, "program_id" uuid not null, "title" text not null, "deleted_by_id" uuid null, "deleted_at" timestamptz not null, "rows" jsonb not null, constraint "deleted_milestone_pkey" primary key ("id"));`);
    this.addSql(`create index "deleted_milestone_program_id_deleted_at_index" on "deleted_milestone" ("program_id", "deleted_at");`);
    this.addSql(`alter table "deleted_milestone" add constraint "deleted_milestone_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "deleted_milestone" add constraint "deleted_milestone_deleted_by_id_foreign" foreign key ("deleted_by_id") references "user" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "deleted_milestone" cascade;`);
  }
}
