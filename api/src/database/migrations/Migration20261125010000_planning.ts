import { Migration } from '@mikro-orm/migrations';

/**
 * Planning: milestones, dependencies, baselines, RACI, waves and checklists, status updates,
 * activity, share links, calendar tokens and program templates. "One A per RACI row" is also a
 * partial unique index, so the rule holds even when two writes race.
 */
export class Migration20261125010000_planning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "program_template" ("id" uuid not null, "name" text not null, "description" text not null default '', "milestones" jsonb not null, "checklist" jsonb not null, "created_at" timestamptz not null, constraint "program_template_pkey" primary key ("id"));`);
    this.addSql(`alter table "program_template" add constraint "program_template_name_unique" unique ("name");`);
    this.addSql(`create table "status_update" ("id" uuid not null, "program_id" uuid not null, "health" text check ("health" in ('on_track', 'at_risk', 'off_track')) not null, "narrative" text not null, "author_id" uuid not null, "created_at" timestamptz not null, constraint "status_update_pkey" primary key ("id"));`);
    this.addSql(`create index "status_update_program_id_created_at_index" on "status_update" ("program_id", "created_at");`);
    this.addSql(`create table "share_link" ("id" uuid not null, "program_id" uuid not null, "token_hash" text not null, "created_by_id" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "share_link_pkey" primary key ("id"));`);
    this.addSql(`create index "share_link_program_id_index" on "share_link" ("program_id");`);
    this.addSql(`alter table "share_link" add constraint "share_link_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create table "milestone" ("id" uuid not null, "program_id" uuid not null, "title" text not null, "description" text not null default '', "owner_id" uuid null, "start_date" date null, "due_date" date null, "status" text check ("status" in ('not_started', 'in_progress', 'blocked', 'done')) not null default 'not_started', "position" int not null default 0, "workstream" text null, "completed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "milestone_pkey" primary key ("id"));`);
    this.addSql(`create index "milestone_program_id_position_index" on "milestone" ("program_id", "position");`);
    this.addSql(`create table "raci_row" ("id" uuid not null, "program_id" uuid not null, "milestone_id" uuid null, "activity" text null, "position" int not null default 0, "created_at" timestamptz not null, constraint "raci_row_pkey" primary key ("id"));`);
    this.addSql(`alter table "raci_row" add constraint "raci_row_milestone_id_unique" unique ("milestone_id");`);
    this.addSql(`create index "raci_row_program_id_position_index" on "raci_row" ("program_id", "position");`);
    this.addSql(`create table "raci_assignment" ("row_id" uuid not null, "subject_type" text check ("subject_type" in ('user', 'team')) not null, "subject_id" uuid not null, "letter" text check ("letter" in ('R', 'A', 'C', 'I')) not null, "program_id" uuid not null, constraint "raci_assignment_pkey" primary key ("row_id", "subject_type", "subject_id"));`);
    this.addSql(`create index "raci_assignment_program_id_index" on "raci_assignment" ("program_id");`);
    this.addSql(`create table "milestone_dependency" ("predecessor_id" uuid not null, "successor_id" uuid not null, "program_id" uuid not null, "created_at" timestamptz not null, constraint "milestone_dependency_pkey" primary key ("predecessor_id", "successor_id"));`);
    this.addSql(`create index "milestone_dependency_successor_id_index" on "milestone_dependency" ("successor_id");`);
    this.addSql(`create index "milestone_dependency_program_id_index" on "milestone_dependency" ("program_id");`);
    this.addSql(`create table "checklist_template_item" ("id" uuid not null, "program_id" uuid not null, "title" text not null, "owner_team_id" uuid null, "owner_user_id" uuid null, "required" boolean not null default true, "due_offset_days" int not null default 0, "position" int not null default 0, constraint "checklist_template_item_pkey" primary key ("id"));`);
    this.addSql(`create index "checklist_template_item_program_id_position_index" on "checklist_template_item" ("program_id", "position");`);
    this.addSql(`create table "calendar_token" ("user_id" uuid not null, "token_hash" text not null, "created_at" timestamptz not null, constraint "calendar_token_pkey" primary key ("user_id"));`);
    this.addSql(`alter table "calendar_token" add constraint "calendar_token_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create table "baseline" ("id" uuid not null, "program_id" uuid not null, "label" text null, "created_by_id" uuid not null, "created_at" timestamptz not null, constraint "baseline_pkey" primary key ("id"));`);
    this.addSql(`create index "baseline_program_id_created_at_index" on "baseline" ("program_id", "created_at");`);
    this.addSql(`create table "baseline_milestone" ("baseline_id" uuid not null, "milestone_id" uuid not null, "start_date" date null, "due_date" date null, constraint "baseline_milestone_pkey" primary key ("baseline_id", "milestone_id"));`);
    this.addSql(`create index "baseline_milestone_milestone_id_index" on "baseline_milestone" ("milestone_id");`);
    this.addSql(`create table "activity" ("id" bigserial primary key, "program_id" uuid not null, "actor_id" uuid null, "at" timestamptz not null, "entity_type" text not null, "entity_id" uuid null, "action" text not null, "summary" text not null, "changes" jsonb not null);`);
    this.addSql(`create index "activity_program_id_id_index" on "activity" ("program_id", "id");`);
    this.addSql(`create table "wave" ("id" uuid not null, "program_id" uuid not null, "name" text not null, "scope" jsonb not null, "planned_go_live" date null, "status" text check ("status" in ('planned', 'in_progress', 'live', 'rolled_back')) not null default 'planned', "position" int not null default 0, "went_live_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "wave_pkey" primary key ("id"));`);
    this.addSql(`create index "wave_program_id_position_index" on "wave" ("program_id", "position");`);
    this.addSql(`create table "checklist_item" ("id" uuid not null, "wave_id" uuid not null, "program_id" uuid not null, "template_item_id" uuid null, "title" text not null, "owner_team_id" uuid null, "owner_user_id" uuid null, "required" boolean not null default true, "due_date" date null, "state" text check ("state" in ('todo', 'done', 'not_applicable', 'blocked')) not null default 'todo', "reason" text null, "changed_by_id" uuid null, "changed_at" timestamptz null, "position" int not null default 0, constraint "checklist_item_pkey" primary key ("id"));`);
    this.addSql(`create index "checklist_item_program_id_index" on "checklist_item" ("program_id");`);
    this.addSql(`create index "checklist_item_wave_id_position_index" on "checklist_item" ("wave_id", "position");`);
    this.addSql(`create table "milestone_checklist_link" ("milestone_id" uuid not null, "item_id" uuid not null, constraint "milestone_checklist_link_pkey" primary key ("milestone_id", "item_id"));`);
    this.addSql(`create index "milestone_checklist_link_item_id_index" on "milestone_checklist_link" ("item_id");`);
    this.addSql(`alter table "status_update" add constraint "status_update_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "status_update" add constraint "status_update_author_id_foreign" foreign key ("author_id") references "user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "share_link" add constraint "share_link_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "share_link" add constraint "share_link_created_by_id_foreign" foreign key ("created_by_id") references "user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "milestone" add constraint "milestone_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "milestone" add constraint "milestone_owner_id_foreign" foreign key ("owner_id") references "user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "raci_row" add constraint "raci_row_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "raci_row" add constraint "raci_row_milestone_id_foreign" foreign key ("milestone_id") references "milestone" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "raci_assignment" add constraint "raci_assignment_row_id_foreign" foreign key ("row_id") references "raci_row" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "raci_assignment" add constraint "raci_assignment_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "milestone_dependency" add constraint "milestone_dependency_predecessor_id_foreign" foreign key ("predecessor_id") references "milestone" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "milestone_dependency" add constraint "milestone_dependency_successor_id_foreign" foreign key ("successor_id") references "milestone" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "milestone_dependency" add constraint "milestone_dependency_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "checklist_template_item" add constraint "checklist_template_item_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "checklist_template_item" add constraint "checklist_template_item_owner_team_id_foreign" foreign key ("owner_team_id") references "team" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "checklist_template_item" add constraint "checklist_template_item_owner_user_id_foreign" foreign key ("owner_user_id") references "user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "calendar_token" add constraint "calendar_token_user_id_foreign" foreign key ("user_id") references "user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "baseline" add constraint "baseline_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "baseline" add constraint "baseline_created_by_id_foreign" foreign key ("created_by_id") references "user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "baseline_milestone" add constraint "baseline_milestone_baseline_id_foreign" foreign key ("baseline_id") references "baseline" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "baseline_milestone" add constraint "baseline_milestone_milestone_id_foreign" foreign key ("milestone_id") references "milestone" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "activity" add constraint "activity_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "activity" add constraint "activity_actor_id_foreign" foreign key ("actor_id") references "user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "wave" add constraint "wave_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "checklist_item" add constraint "checklist_item_wave_id_foreign" foreign key ("wave_id") references "wave" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "checklist_item" add constraint "checklist_item_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "checklist_item" add constraint "checklist_item_template_item_id_foreign" foreign key ("template_item_id") references "checklist_template_item" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "checklist_item" add constraint "checklist_item_owner_team_id_foreign" foreign key ("owner_team_id") references "team" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "checklist_item" add constraint "checklist_item_owner_user_id_foreign" foreign key ("owner_user_id") references "user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "checklist_item" add constraint "checklist_item_changed_by_id_foreign" foreign key ("changed_by_id") references "user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "milestone_checklist_link" add constraint "milestone_checklist_link_milestone_id_foreign" foreign key ("milestone_id") references "milestone" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "milestone_checklist_link" add constraint "milestone_checklist_link_item_id_foreign" foreign key ("item_id") references "checklist_item" ("id") on update cascade on delete cascade;`);
    this.addSql(`create unique index "raci_assignment_one_accountable" on "raci_assignment" ("row_id") where "letter" = 'A';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "milestone_checklist_link" cascade;`);
    this.addSql(`drop table if exists "checklist_item" cascade;`);
    this.addSql(`drop table if exists "wave" cascade;`);
    this.addSql(`drop table if exists "checklist_template_item" cascade;`);
    this.addSql(`drop table if exists "raci_assignment" cascade;`);
    this.addSql(`drop table if exists "raci_row" cascade;`);
    this.addSql(`drop table if exists "baseline_milestone" cascade;`);
    this.addSql(`drop table if exists "baseline" cascade;`);
    this.addSql(`drop table if exists "milestone_dependency" cascade;`);
    this.addSql(`drop table if exists "milestone" cascade;`);
    this.addSql(`drop table if exists "status_update" cascade;`);
    this.addSql(`drop table if exists "activity" cascade;`);
    this.addSql(`drop table if exists "share_link" cascade;`);
    this.addSql(`drop table if exists "calendar_token" cascade;`);
    this.addSql(`drop table if exists "program_template" cascade;`);
  }
}
