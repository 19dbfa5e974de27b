import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccessModule } from './access/access.module';
import { ActivityModule } from './activity/activity.module';
import { AuthModule } from './auth/auth.module';
import { ErrorsFilter } from './common/errors.filter';
import type { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import type { DatabaseTarget } from './database/embedded';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { ProgramsModule } from './programs/programs.module';
import { TeamsModule } from './teams/teams.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseTarget): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        AccessModule,
        LiveModule,
        ActivityModule,
        AuthModule,
        UsersModule,
        TeamsModule,
        ProgramsModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorsFilter }],
    };
  }
}
