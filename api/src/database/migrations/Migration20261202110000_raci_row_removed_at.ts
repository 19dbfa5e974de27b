import { Migration } from '@mikro-orm/migrations';

/**
 * Deleting a free RACI activity marks it removed instead of deleting it with its letters. The
 * web's Undo re-created it: a new row at the end of the matrix, its letters set again one by one,
 * the letters of anyone deactivated since refused halfway. Kept, it comes back whole.
 */
export class Migration20261202110000_raci_row_removed_at extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "raci_row" add column "removed_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "raci_row" where "removed_at" is not null;`);
    this.addSql(`alter table "raci_row" drop column "removed_at";`);
  }
}
