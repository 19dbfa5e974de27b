import { Global, Module } from '@nestjs/common';
import { ActivityController } from './activity.controller';
import { ProgramChanges } from './program-changes.service';

@Global()
@Module({ controllers: [ActivityController], providers: [ProgramChanges], exports: [ProgramChanges] })
export class ActivityModule {}
