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
import { MilestonesModule } from './milestones/milestones.module';
import { RaciModule } from './raci/raci.module';
import { RolloutsModule } from './rollouts/rollouts.module';
import { UpdatesModule } from './updates/updates.module';
import { PortfolioModule } from './portfolio/portfolio.module';
import { ReportsModule } from './reports/reports.module';
import { CalendarModule } from './calendar/calendar.module';
import { TemplatesModule } from './templates/templates.module';
import { SignalsModule } from './signals/signals.module';
import { CollabModule } from './collab/collab.module';
import { DocsModule } from './docs/docs.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseTarget): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database, config.dbDebug),
        AccessModule,
        LiveModule,
        ActivityModule,
        AuthModule,
        UsersModule,
        TeamsModule,
        ProgramsModule,
        MilestonesModule,
        RaciModule,
        RolloutsModule,
        UpdatesModule,
        PortfolioModule,
        ReportsModule,
        CalendarModule,
        TemplatesModule,
        SignalsModule,
        CollabModule,
        DocsModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorsFilter }],
    };
  }
}
