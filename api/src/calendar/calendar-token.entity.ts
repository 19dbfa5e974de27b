import { Entity, OneToOne, OptionalProps, Property } from '@mikro-orm/core';
import { User } from '../users/user.entity';

/** The secret in a person's calendar feed URL. Resetting it replaces the row. */
@Entity({ tableName: 'calendar_token' })
export class CalendarToken {
  [OptionalProps]?: 'createdAt';

  @OneToOne(() => User, { primary: true, deleteRule: 'cascade', owner: true })
  user!: User;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
