import { Migration } from '@mikro-orm/migrations';
import { TEMPLATE_SEEDS } from '../../templates/templates.seed';

/**
 * The shipped program templates in every database, not only the demo's: "Start from a template"
 * had nothing to offer on a real install (nothing else creates templates). One whose name is
 * taken is left alone. It inserts `TEMPLATE_SEEDS` as they are when it runs: a later change to a
 * shipped template reaches existing databases only through a migration of its own.
 */
export class Migration20261201000000_shipped_templates extends Migration {
  override async up(): Promise<void> {
    for (const t of TEMPLATE_SEEDS) {
      this.addSql(
        this.getKnex().raw(
          `insert into "program_template" ("id", "name", "description", "milestones", "checklist", "created_at")
           values (gen_random_uuid(), ?, ?, ?::jsonb, ?::jsonb, now()) on conflict ("name") do nothing`,
          [t.name, t.description, JSON.stringify(t.milestones), JSON.stringify(t.checklist)],
        ),
      );
    }
  }

  override async down(): Promise<void> {
    // Templates may have started programs since; they stay.
  }
}
