import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_foundation } from './Migration20261125000000_foundation';
import { Migration20261125010000_planning } from './Migration20261125010000_planning';
import { Migration20261125020000_docs } from './Migration20261125020000_docs';
import { Migration20261126000000_portfolio } from './Migration20261126000000_portfolio';
import { Migration20261127000000_api_tokens } from './Migration20261127000000_api_tokens';
import { Migration20261129000000_portfolio_version } from './Migration20261129000000_portfolio_version';
import { Migration20261130000000_user_identity } from './Migration20261130000000_user_identity';
import { Migration20261201000000_shipped_templates } from './Migration20261201000000_shipped_templates';
import { Migration20261202000000_deleted_milestones } from './Migration20261202000000_deleted_milestones';
import { Migration20261202100000_template_item_removed_at } from './Migration20261202100000_template_item_removed_at';
import { Migration20261202110000_raci_row_removed_at } from './Migration20261202110000_raci_row_removed_at';

/** Every migration, in order. The CLI writes new files here; add each one to this list by hand. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000000_foundation', class: Migration20261125000000_foundation },
  { name: 'Migration20261125010000_planning', class: Migration20261125010000_planning },
  { name: 'Migration20261125020000_docs', class: Migration20261125020000_docs },
  { name: 'Migration20261126000000_portfolio', class: Migration20261126000000_portfolio },
  { name: 'Migration20261127000000_api_tokens', class: Migration20261127000000_api_tokens },
  { name: 'Migration20261129000000_portfolio_version', class: Migration20261129000000_portfolio_version },
  { name: 'Migration20261130000000_user_identity', class: Migration20261130000000_user_identity },
  { name: 'Migration20261201000000_shipped_templates', class: Migration20261201000000_shipped_templates },
  { name: 'Migration20261202000000_deleted_milestones', class: Migration20261202000000_deleted_milestones },
  { name: 'Migration20261202100000_template_item_removed_at', class: Migration20261202100000_template_item_removed_at },
  { name: 'Migration20261202110000_raci_row_removed_at', class: Migration20261202110000_raci_row_removed_at },
];
