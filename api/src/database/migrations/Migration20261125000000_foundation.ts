import { Migration } from '@mikro-orm/migrations';

/** People, sessions, teams, programs and program membership. */
export class Migration20261125000000_foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "team" ("id" uuid not null, "name" text not null, "created_at" timestamptz not null, constraint "team_pkey" primary key ("id"));`);
    this.addSql(`alter table "team" add constraint "team_name_unique" unique ("name");`);
    this.addSql(`create table "user" ("id" uuid not null, "email" text not null, "name" text not null, "password_hash" text not null, "org_role" text check ("org_role" in ('admin', 'member', 'viewer')) not null default 'member', "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, "deactivated_at" timestamptz null, constraint "user_pkey" primary key ("id"));`);
    this.addSql(`alter table "user" add constraint "user_email_unique" unique ("email");`);
    this.addSql(`create index "user_active_index" on "user" ("active");`);
    this.addSql(`create table "session" ("id" text not null, "user_id" uuid not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null, "ip" text null, "user_agent" text null, constraint "session_pkey" primary key ("id"));`);
    this.addSql(`create index "session_user_id_index" on "session" ("user_id");`);
    this.addSql(`create index "session_expires_at_index" on "session" ("expires_at");`);
    this.addSql(`create table "program" ("id" uuid not null, "key" text not null, "name" text not null, "description" text not null default '', "status" text check ("status" in ('planning', 'active', 'on_hold', 'completed', 'archived')) not null default 'planning', "owner_id" uuid not null, "team_id" uuid null, "start_date" date null, "target_date" date null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "archived_at" timestamptz null, constraint "program_pkey" primary key ("id"));`);
    this.addSql(`alter table "program" add constraint "program_key_unique" unique ("key");`);
    this.addSql(`create index "program_owner_id_index" on "program" ("owner_id");`);
    this.addSql(`create table "program_member" ("program_id" uuid not null, "user_id" uuid not null, "role" text check ("role" in ('owner', 'editor', 'viewer')) not null, "added_at" timestamptz not null, constraint "program_member_pkey" primary key ("program_id", "user_id"));`);
    this.addSql(`create index "program_member_user_id_index" on "program_member" ("user_id");`);
    this.addSql(`alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "program" add constraint "program_owner_id_foreign" foreign key ("owner_id") references "user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "program" add constraint "program_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "program_member" add constraint "program_member_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "program_member" add constraint "program_member_user_id_foreign" foreign key ("user_id") references "user" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "program_member" cascade;`);
    this.addSql(`drop table if exists "program" cascade;`);
    this.addSql(`drop table if exists "session" cascade;`);
    this.addSql(`drop table if exists "user" cascade;`);
    this.addSql(`drop table if exists "team" cascade;`);
  }
}
