import { Module } from '@nestjs/common';
import { ProgramsModule } from '../programs/programs.module';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

@Module({ imports: [ProgramsModule], controllers: [TemplatesController], providers: [TemplatesService], exports: [] })
export class TemplatesModule {}
