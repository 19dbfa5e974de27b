import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { CsvBodyMiddleware } from '../common/csv-body.middleware';
import { ChecklistCsvService } from './checklist-csv.service';
import { ChecklistTemplateController } from './checklist-template.controller';
import { ChecklistTemplateService } from './checklist-template.service';
import { ChecklistController } from './checklist.controller';
import { ChecklistService } from './checklist.service';
import { RolloutGridService } from './rollout-grid.service';
import { WavesController } from './waves.controller';
import { WavesService } from './waves.service';

@Module({
  controllers: [ChecklistTemplateController, WavesController, ChecklistController],
  providers: [ChecklistTemplateService, WavesService, ChecklistService, RolloutGridService, ChecklistCsvService],
  exports: [ChecklistService],
})
export class RolloutsModule implements NestModule {
  /** Only the import reads a text/csv body (the milestones area's parser); everywhere else the app takes JSON alone. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CsvBodyMiddleware).forRoutes({ path: 'api/v1/waves/:id/checklist/import', method: RequestMethod.POST });
  }
}
