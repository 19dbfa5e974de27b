import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
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
import { createLogger } from './observability/logging';
import { ObservabilityModule } from './observability/observability.module';
import { RedisModule } from './redis/redis-commands';

@Module({})
export class AppModule {
  /** `logger`: the pino logger the HTTP request logger writes with (one is made from the config when left out). */
  static forRoot(config: AppConfig, database: DatabaseTarget, logger: PinoLogger = createLogger(config)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Nest's Logger writes through pino; the request-bound child logger (with the request id)
        // comes from the Express-level pino-http middleware (bootstrap.ts), hence `useExisting`.
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true }),
        ConfigModule.forRoot(config),
        RedisModule,
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
        ObservabilityModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorsFilter }],
    };
  }
}
