import { Entity, Enum, Index, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { PROGRAM_ROLES, type ProgramRole } from '@tandem/domain';
import { User } from '../users/user.entity';
import { Program } from './program.entity';

@Entity({ tableName: 'program_member' })
export class ProgramMember {
  [OptionalProps]?: 'addedAt';

  @ManyToOne(() => Program, { primary: true, deleteRule: 'cascade' })
  program!: Program;

  @Index()
  @ManyToOne(() => User, { primary: true, deleteRule: 'cascade' })
  user!: User;

  @Enum({ items: () => [...PROGRAM_ROLES] })
  role!: ProgramRole;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  addedAt: Date = new Date();
}
