import { Module } from '@nestjs/common';
import { MembersService } from './members.service';
import { ProgramsController } from './programs.controller';
import { ProgramsService } from './programs.service';

@Module({ controllers: [ProgramsController], providers: [ProgramsService, MembersService], exports: [ProgramsService] })
export class ProgramsModule {}
