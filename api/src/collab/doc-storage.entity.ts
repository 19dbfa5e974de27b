import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Doc } from '../docs/doc.entity';
import { User } from '../users/user.entity';

/**
 * The append-only log of a document's updates. A row exists only once its transaction commits,
 * and only then is the sender told `saved`. Compaction folds rows into the snapshot and deletes
 * exactly the rows it folded, in one transaction.
 */
@Entity({ tableName: 'doc_update' })
@Index({ properties: ['doc', 'id'] })
export class DocUpdate {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Doc, { deleteRule: 'cascade', index: false })
  doc!: Doc;

  @Property({ type: 'blob' })
  data!: Buffer;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A document's state up to the rows compaction folded in: load = snapshot + remaining log rows. */
@Entity({ tableName: 'doc_snapshot' })
export class DocSnapshot {
  [OptionalProps]?: 'updatedAt';

  @ManyToOne(() => Doc, { primary: true, deleteRule: 'cascade' })
  doc!: Doc;

  @Property({ type: 'blob' })
  state!: Buffer;

  @Property({ type: 'integer' })
  foldedUpdates!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

export const VERSION_KINDS = ['manual', 'auto', 'restore'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/** A named full copy of a document's state, for history, preview and restore. */
@Entity({ tableName: 'doc_version' })
@Index({ properties: ['doc', 'createdAt'] })
export class DocVersion {
  [OptionalProps]?: 'createdAt' | 'createdBy';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Doc, { deleteRule: 'cascade' })
  doc!: Doc;

  @Property({ type: 'text' })
  name!: string;

  @Enum({ items: () => [...VERSION_KINDS] })
  kind!: VersionKind;

  @Property({ type: 'blob' })
  state!: Buffer;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  createdBy: User | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
