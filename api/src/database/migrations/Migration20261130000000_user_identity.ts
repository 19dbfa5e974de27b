import { Migration } from '@mikro-orm/migrations';

/** Single sign-on: a person's identity at an OpenID Connect provider, (issuer, subject) → account. */
export class Migration20261130000000_user_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "user_identity" ("id" uuid not null, "user_id" uuid not null, "issuer" text not null, "subject" text not null, "email" text null, "created_at" timestamptz not null, "last_sign_in_at" timestamptz not null, constraint "user_identity_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "user_identity" add constraint "user_identity_issuer_subject_unique" unique ("issuer", "subject");`);
    this.addSql(`alter table "user_identity" add constraint "user_identity_user_id_issuer_unique" unique ("user_id", "issuer");`);
    this.addSql(`alter table "user_identity" add constraint "user_identity_user_id_foreign" foreign key ("user_id") references "user" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "user_identity" cascade;`);
  }
}
