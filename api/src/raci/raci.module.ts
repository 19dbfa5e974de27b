import { Module } from '@nestjs/common';
import { RaciChangesService } from './raci-changes.service';
import { RaciController } from './raci.controller';
import { RaciService } from './raci.service';

@Module({ controllers: [RaciController], providers: [RaciService, RaciChangesService], exports: [] })
export class RaciModule {}
