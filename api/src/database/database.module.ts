import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DatabaseLifecycle } from './database.lifecycle';
import { DATABASE_TARGET } from './database.tokens';
import type { DatabaseTarget } from './embedded';
import { ormOptions } from './orm.config';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(target: DatabaseTarget, debug = false): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [MikroOrmModule.forRoot({ ...ormOptions(target, debug), registerRequestContext: true })],
      providers: [{ provide: DATABASE_TARGET, useValue: target }, DatabaseLifecycle],
      exports: [DATABASE_TARGET],
    };
  }
}
