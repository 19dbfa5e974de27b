import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { BaselinesService } from './baselines.service';
import { CsvBodyMiddleware } from '../common/csv-body.middleware';
import { DependenciesService } from './dependencies.service';
import { MilestoneReader } from './milestone-reader.service';
import { MilestonesCsvService } from './milestones-csv.service';
import { MilestonesController } from './milestones.controller';
import { MilestonesService } from './milestones.service';
import { ScheduleController } from './schedule.controller';

@Module({
  controllers: [MilestonesController, ScheduleController],
  providers: [MilestonesService, MilestoneReader, DependenciesService, BaselinesService, MilestonesCsvService],
  exports: [MilestoneReader, MilestonesService],
})
export class MilestonesModule implements NestModule {
  /** Only the import reads a text/csv body; everywhere else the app takes JSON alone. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CsvBodyMiddleware).forRoutes({ path: 'api/v1/programs/:program/milestones/import', method: RequestMethod.POST });
  }
}
