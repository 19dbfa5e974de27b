import { Module } from '@nestjs/common';
import { ReportService } from './report.service';
import { ReportsController } from './reports.controller';
import { ShareLinksService } from './share-links.service';

@Module({ controllers: [ReportsController], providers: [ReportService, ShareLinksService], exports: [] })
export class ReportsModule {}
