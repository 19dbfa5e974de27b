import { Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createStatusUpdateSchema, listUpdatesQuerySchema, type CreateStatusUpdateInput, type ListUpdatesQuery, type Page } from '@tandem/domain';
import { healthSignalsView, pageOf, statusUpdateView } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import type { StatusUpdateView } from './status-update.view';
import { UpdatesService, type ProgramSignalsView } from './updates.service';

/** `:program` is a program's id or its key. */
@ApiTags('status updates')
@ApiCookieAuth()
@Controller('api/v1/programs/:program')
export class UpdatesController {
  constructor(private readonly updates: UpdatesService) {}

  @Get('updates')
  @ApiOperation({ summary: 'Status updates, newest first (read; cursor-paginated); `since` for the health history from a moment on' })
  @ApiOkJson(pageOf(statusUpdateView))
  list(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidQuery(listUpdatesQuerySchema) query: ListUpdatesQuery): Promise<Page<StatusUpdateView>> {
    return this.updates.list(actor, program, query);
  }

  @Post('updates')
  @ApiOperation({ summary: 'Report health and a narrative (write); history is kept' })
  @ApiCreatedJson(statusUpdateView)
  create(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(createStatusUpdateSchema) body: CreateStatusUpdateInput): Promise<StatusUpdateView> {
    return this.updates.create(actor, program, body);
  }

  @Get('signals')
  @ApiOperation({ summary: 'Reported health beside computed health, its reasons and the signals behind it (read)' })
  @ApiOkJson(healthSignalsView)
  signals(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<ProgramSignalsView> {
    return this.updates.signalsFor(actor, program);
  }
}
