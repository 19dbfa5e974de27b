import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The organisation's portfolio version, one row (id 1), kept by triggers (migration
 * 20261129000000); the app only reads it.
 */
@Entity({ tableName: 'portfolio_version' })
export class PortfolioVersion {
  @PrimaryKey({ type: 'smallint', autoincrement: false })
  id!: number;

  @Property({ type: 'bigint', default: 0 })
  version!: string;
}
