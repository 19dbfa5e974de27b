import { Migration } from '@mikro-orm/migrations';

/**
 * Removing an item from a program's checklist template marks it removed instead of deleting it.
 * Deleting set `checklist_item.template_item_id` to null on every wave's copy, so the rollout grid
 * split the item's row into one row per wave, and an Undo (adding it again) made a new, empty row
 * beside them. Kept, the copies stay linked and restoring brings back the same item.
 */
export class Migration20261202100000_template_item_removed_at extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "checklist_template_item" add column "removed_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "checklist_template_item" where "removed_at" is not null;`);
    this.addSql(`alter table "checklist_template_item" drop column "removed_at";`);
  }
}
