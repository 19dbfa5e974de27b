import { Produces } from '../common/produces';
import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  checklistItemView,
  createChecklistItemSchema,
  importQuerySchema,
  importResultView,
  pageOf,
  pageQuerySchema,
  updateChecklistItemSchema,
  type CreateChecklistItemInput,
  type ImportQuery,
  type Page,
  type PageQuery,
  type UpdateChecklistItemInput,
} from '@tandem/domain';
import type { Response } from 'express';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { attachmentDisposition, CSV_CONTENT_TYPE } from '../common/csv';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { ChecklistCsvService, type ChecklistImportResult } from './checklist-csv.service';
import { ChecklistService } from './checklist.service';
import type { ChecklistItemView } from './rollout.view';

const waveId = new IdPipe('Wave');
const itemId = new IdPipe('Checklist item');

@ApiTags('rollouts')
@ApiCookieAuth()
@Controller('api/v1')
export class ChecklistController {
  constructor(private readonly checklist: ChecklistService, private readonly csv: ChecklistCsvService) {}

  @Get('waves/:id/checklist')
  @ApiOperation({ summary: 'A wave\'s checklist: owners, state, reason, who changed it and when (read; cursor-paginated)' })
  @ApiOkJson(pageOf(checklistItemView))
  list(@CurrentActor() actor: Actor, @Param('id', waveId) id: string, @ValidQuery(pageQuerySchema) query: PageQuery): Promise<Page<ChecklistItemView>> {
    return this.checklist.list(actor, id, query);
  }

  @Get('waves/:id/checklist.csv')
  @Produces(CSV_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A wave\'s checklist as CSV: id,title,owner,required,due_date,state,reason,changed_by,changed_at (read)' })
  async exportCsv(@CurrentActor() actor: Actor, @Param('id', waveId) id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const file = await this.csv.export(actor, id);
    res.setHeader('Content-Disposition', attachmentDisposition(file.filename));
    return file.body;
  }

  @Post('waves/:id/checklist/import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', description: 'the CSV file (at most 1 MB): the export\'s columns, or title, owner, required, due_date, state, reason matched by header' } })
  @ApiOperation({ summary: 'Add and update this wave\'s checklist items from CSV (write); ?dryRun=true only reports row errors; a real run writes all rows or none (400 with the row errors). A new row for a live wave is a row error' })
  @ApiOkJson(importResultView)
  import(@CurrentActor() actor: Actor, @Param('id', waveId) id: string, @Body() body: unknown, @ValidQuery(importQuerySchema) query: ImportQuery): Promise<ChecklistImportResult> {
    return this.csv.import(actor, id, body, query);
  }

  @Post('waves/:id/checklist')
  @ApiOperation({ summary: 'Add an item to this wave\'s checklist only (write); 409 while the wave is live' })
  @ApiCreatedJson(checklistItemView)
  create(@CurrentActor() actor: Actor, @Param('id', waveId) id: string, @ValidBody(createChecklistItemSchema) body: CreateChecklistItemInput): Promise<ChecklistItemView> {
    return this.checklist.create(actor, id, body);
  }

  @Get('checklist-items/:id')
  @ApiOperation({ summary: 'One checklist item (read); 404 once it is removed' })
  @ApiOkJson(checklistItemView)
  get(@CurrentActor() actor: Actor, @Param('id', itemId) id: string): Promise<ChecklistItemView> {
    return this.checklist.get(actor, id);
  }

  @Patch('checklist-items/:id')
  @ApiOperation({ summary: 'Change a checklist item or its state (write); not applicable and blocked need a reason' })
  @ApiOkJson(checklistItemView)
  update(@CurrentActor() actor: Actor, @Param('id', itemId) id: string, @ValidBody(updateChecklistItemSchema) body: UpdateChecklistItemInput): Promise<ChecklistItemView> {
    return this.checklist.update(actor, id, body);
  }

  @Delete('checklist-items/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a checklist item (write); 409 while its wave is live, or while milestones wait for it (naming them: unlink it first)' })
  remove(@CurrentActor() actor: Actor, @Param('id', itemId) id: string): Promise<void> {
    return this.checklist.remove(actor, id);
  }
}
