import { Migration } from '@mikro-orm/migrations';

/** Plans and retros: the document row, its Yjs update log, its snapshot and its named versions. */
export class Migration20261125020000_docs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "doc" ("id" uuid not null, "program_id" uuid not null, "kind" text check ("kind" in ('plan', 'retro')) not null, "title" text not null, "created_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "last_edited_at" timestamptz null, "archived_at" timestamptz null, constraint "doc_pkey" primary key ("id"));`);
    this.addSql(`create index "doc_program_id_created_at_index" on "doc" ("program_id", "created_at");`);
    this.addSql(`create table "doc_version" ("id" uuid not null, "doc_id" uuid not null, "name" text not null, "kind" text check ("kind" in ('manual', 'auto', 'restore')) not null, "state" bytea not null, "created_by_id" uuid null, "created_at" timestamptz not null, constraint "doc_version_pkey" primary key ("id"));`);
    this.addSql(`create index "doc_version_doc_id_created_at_index" on "doc_version" ("doc_id", "created_at");`);
    this.addSql(`create table "doc_update" ("id" bigserial primary key, "doc_id" uuid not null, "data" bytea not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "doc_update_doc_id_id_index" on "doc_update" ("doc_id", "id");`);
    this.addSql(`create table "doc_snapshot" ("doc_id" uuid not null, "state" bytea not null, "folded_updates" int not null, "updated_at" timestamptz not null, constraint "doc_snapshot_pkey" primary key ("doc_id"));`);
    this.addSql(`alter table "doc" add constraint "doc_program_id_foreign" foreign key ("program_id") references "program" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "doc" add constraint "doc_created_by_id_foreign" foreign key ("created_by_id") references "user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "doc_version" add constraint "doc_version_doc_id_foreign" foreign key ("doc_id") references "doc" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "doc_version" add constraint "doc_version_created_by_id_foreign" foreign key ("created_by_id") references "user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "doc_update" add constraint "doc_update_doc_id_foreign" foreign key ("doc_id") references "doc" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "doc_snapshot" add constraint "doc_snapshot_doc_id_foreign" foreign key ("doc_id") references "doc" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "doc_snapshot" cascade;`);
    this.addSql(`drop table if exists "doc_update" cascade;`);
    this.addSql(`drop table if exists "doc_version" cascade;`);
    this.addSql(`drop table if exists "doc" cascade;`);
  }
}
