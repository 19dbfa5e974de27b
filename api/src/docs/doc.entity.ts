import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { DOC_KINDS, type DocKind } from '@tandem/domain';
import { Program, programArchivedMessage } from '../programs/program.entity';
import { User } from '../users/user.entity';

/** A plan or a retro: its content is a Yjs document stored by the collab module. */
@Entity({ tableName: 'doc' })
@Index({ properties: ['program', 'createdAt'] })
export class Doc {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'archivedAt' | 'lastEditedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Program, { deleteRule: 'cascade' })
  program!: Program;

  @Enum({ items: () => [...DOC_KINDS] })
  kind!: DocKind;

  @Property({ type: 'text' })
  title!: string;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  createdBy!: User;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** last time an edit to the content was stored; drives the daily automatic version */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastEditedAt: Date | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  archivedAt: Date | null = null;
}

/** What a 409 says blocks a change to an archived document: the document, or its program. */
export const archivedMessage = (doc: Pick<Doc, 'title' | 'archivedAt'>, program: Pick<Program, 'key'>): string =>
  doc.archivedAt ? `"${doc.title}" is archived` : programArchivedMessage(program);
