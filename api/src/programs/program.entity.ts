import { randomUUID } from 'node:crypto';
import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { PROGRAM_STATUSES, type ProgramStatus } from '@tandem/domain';
import { Team } from '../teams/team.entity';
import { User } from '../users/user.entity';
import { ProgramMember } from './program-member.entity';

@Entity({ tableName: 'program' })
export class Program {
  [OptionalProps]?: 'description' | 'status' | 'team' | 'startDate' | 'targetDate' | 'createdAt' | 'updatedAt' | 'archivedAt' | 'revision';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** short code people say out loud ("QA", "WFM"); unique */
  @Property({ type: 'text', unique: true })
  key!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  description: string = '';

  @Enum({ items: () => [...PROGRAM_STATUSES] })
  status: ProgramStatus = 'planning';

  @Index()
  @ManyToOne(() => User, { deleteRule: 'restrict' })
  owner!: User;

  @ManyToOne(() => Team, { nullable: true, deleteRule: 'set null' })
  team: Team | null = null;

  @Property({ type: 'date', nullable: true })
  startDate: string | null = null;

  @Property({ type: 'date', nullable: true })
  targetDate: string | null = null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  archivedAt: Date | null = null;

  /**
   * Bumped by a trigger in every transaction that records activity for the program (migration
   * 20261126000000); the app only ever inserts 0. The portfolio caches rows under it.
   */
  @Property({ type: 'integer', default: 0 })
  revision: number = 0;

  @OneToMany(() => ProgramMember, (member) => member.program)
  members = new Collection<ProgramMember>(this);
}

/** What a 409 says when a change is refused because the program is archived. */
export const programArchivedMessage = (program: Pick<Program, 'key'>): string => `${program.key} is archived: restore the program to change it`;
