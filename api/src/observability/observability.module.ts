import { Module } from '@nestjs/common';
import { CollabModule } from '../collab/collab.module';
import { MetricsService } from './metrics.service';

@Module({ imports: [CollabModule], providers: [MetricsService], exports: [MetricsService] })
export class ObservabilityModule {}
