import { Produces } from '../common/produces';
import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  createMilestoneSchema,
  deletedMilestonesView,
  importQuerySchema,
  importResultView,
  linkChecklistItemsSchema,
  milestoneView,
  pageOf,
  pageQuerySchema,
  restoredMilestoneView,
  updateMilestoneSchema,
  type CreateMilestoneInput,
  type ImportQuery,
  type LinkChecklistItemsInput,
  type Page,
  type PageQuery,
  type UpdateMilestoneInput,
} from '@tandem/domain';
import type { Response } from 'express';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { attachmentDisposition, CSV_CONTENT_TYPE } from '../common/csv';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import type { DeletedMilestoneView, MilestoneView } from './milestone.view';
import { MilestonesCsvService, type ImportResult } from './milestones-csv.service';
import { MilestonesService } from './milestones.service';

const milestoneId = new IdPipe('Milestone');
const deletedMilestoneId = new IdPipe('Deleted milestone');

/** `:program` is a program's id or key. Access is decided in the services through AccessService. */
@ApiTags('milestones')
@ApiCookieAuth()
@Controller('api/v1')
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService, private readonly csv: MilestonesCsvService) {}

  @Get('programs/:program/milestones')
  @ApiOperation({ summary: 'The program\'s milestones by position, then due date, with baseline, slip, overdue and linked checklist items (read; cursor-paginated)' })
  @ApiOkJson(pageOf(milestoneView))
  list(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidQuery(pageQuerySchema) query: PageQuery): Promise<Page<MilestoneView>> {
    return this.milestones.list(actor, program, query);
  }

  @Post('programs/:program/milestones')
  @ApiOperation({ summary: 'Add a milestone (write); the owner must be an active person; without a position it goes last' })
  @ApiCreatedJson(milestoneView)
  create(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(createMilestoneSchema) body: CreateMilestoneInput): Promise<MilestoneView> {
    return this.milestones.create(actor, program, body);
  }

  @Get('programs/:program/milestones.csv')
  @Produces(CSV_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The milestones as CSV for a spreadsheet, with baseline due date and slip (read)' })
  async exportCsv(@CurrentActor() actor: Actor, @Param('program') program: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const file = await this.csv.export(actor, program);
    res.setHeader('Content-Disposition', attachmentDisposition(file.filename));
    return file.body;
  }

  @Post('programs/:program/milestones/import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', description: 'the CSV file (at most 1 MB): the export\'s columns, or any of them matched by header name' } })
  @ApiOperation({ summary: 'Create and update milestones from CSV (write); ?dryRun=true only reports row errors; a real run writes all rows or none (400 with the row errors)' })
  @ApiOkJson(importResultView)
  import(@CurrentActor() actor: Actor, @Param('program') program: string, @Body() body: unknown, @ValidQuery(importQuerySchema) query: ImportQuery): Promise<ImportResult> {
    return this.csv.import(actor, program, body, query);
  }

  @Get('milestones/:id')
  @ApiOperation({ summary: 'One milestone (read)' })
  @ApiOkJson(milestoneView)
  get(@CurrentActor() actor: Actor, @Param('id', milestoneId) id: string): Promise<MilestoneView> {
    return this.milestones.get(actor, id);
  }

  @Patch('milestones/:id')
  @ApiOperation({ summary: 'Change a milestone (write); done with open linked checklist items → 409 with the blockers, unless an owner or admin gives overrideReason' })
  @ApiOkJson(milestoneView)
  update(@CurrentActor() actor: Actor, @Param('id', milestoneId) id: string, @ValidBody(updateMilestoneSchema) body: UpdateMilestoneInput): Promise<MilestoneView> {
    return this.milestones.update(actor, id, body);
  }

  @Delete('milestones/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a milestone with its RACI row, dependencies, baseline dates and checklist links (write); POST /milestones/{id}/restore puts them back' })
  remove(@CurrentActor() actor: Actor, @Param('id', milestoneId) id: string): Promise<void> {
    return this.milestones.remove(actor, id);
  }

  @Get('programs/:program/deleted-milestones')
  @ApiOperation({ summary: "The program's deleted milestones that can be restored, the latest 100 first (read); older ones can still be restored by id" })
  @ApiOkJson(deletedMilestonesView)
  listDeleted(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<{ items: DeletedMilestoneView[] }> {
    return this.milestones.listDeleted(actor, program);
  }

  @Post('milestones/:id/restore')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Undo the delete of a milestone (write): it comes back with its id, RACI row, baseline dates, checklist links and dependencies, where the other end still exists and no loop would close; `leftOut` names what could not come back. 404 if it is not a deleted milestone',
  })
  @ApiOkJson(restoredMilestoneView)
  restore(@CurrentActor() actor: Actor, @Param('id', deletedMilestoneId) id: string): Promise<{ milestone: MilestoneView; leftOut: string[] }> {
    return this.milestones.restore(actor, id);
  }

  @Put('milestones/:id/checklist-items')
  @ApiOperation({ summary: 'Replace the checklist items that must be closed before the milestone is done (write); items of another program → 404; open items on a milestone already done → 409' })
  @ApiOkJson(milestoneView)
  linkChecklistItems(@CurrentActor() actor: Actor, @Param('id', milestoneId) id: string, @ValidBody(linkChecklistItemsSchema) body: LinkChecklistItemsInput): Promise<MilestoneView> {
    return this.milestones.linkChecklistItems(actor, id, body);
  }
}
