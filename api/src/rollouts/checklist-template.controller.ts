import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  checklistTemplateItemView,
  pageOf,
  pageQuerySchema,
  templateItemSchema,
  updateTemplateItemSchema,
  type Page,
  type PageQuery,
  type TemplateItemInput,
  type UpdateTemplateItemInput,
} from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { ChecklistTemplateService } from './checklist-template.service';
import type { TemplateItemView } from './rollout.view';

const itemId = new IdPipe('Checklist template item');

/** `:program` is a program's id or key. Access is decided in the services through AccessService. */
@ApiTags('rollouts')
@ApiCookieAuth()
@Controller('api/v1')
export class ChecklistTemplateController {
  constructor(private readonly template: ChecklistTemplateService) {}

  @Get('programs/:program/checklist-template')
  @ApiOperation({ summary: 'The program\'s go-live checklist template, by position (read; cursor-paginated)' })
  @ApiOkJson(pageOf(checklistTemplateItemView))
  list(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidQuery(pageQuerySchema) query: PageQuery): Promise<Page<TemplateItemView>> {
    return this.template.list(actor, program, query);
  }

  @Post('programs/:program/checklist-template')
  @ApiOperation({ summary: 'Add an item to the checklist template (manage); only waves created later get it' })
  @ApiCreatedJson(checklistTemplateItemView)
  create(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(templateItemSchema) body: TemplateItemInput): Promise<TemplateItemView> {
    return this.template.create(actor, program, body);
  }

  @Patch('checklist-template/:itemId')
  @ApiOperation({ summary: 'Change a template item (manage); existing waves keep their copies' })
  @ApiOkJson(checklistTemplateItemView)
  update(@CurrentActor() actor: Actor, @Param('itemId', itemId) id: string, @ValidBody(updateTemplateItemSchema) body: UpdateTemplateItemInput): Promise<TemplateItemView> {
    return this.template.update(actor, id, body);
  }

  @Delete('checklist-template/:itemId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a template item (manage); existing waves keep their copies, still linked to it, so POST …/restore brings it back whole' })
  remove(@CurrentActor() actor: Actor, @Param('itemId', itemId) id: string): Promise<void> {
    return this.template.remove(actor, id);
  }

  @Post('checklist-template/:itemId/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a removed template item back (manage), the Undo of removing it: same id, owner, offset and position; the waves\' copies are its row in the rollout grid again. An item in the template is answered as it is' })
  @ApiOkJson(checklistTemplateItemView)
  restore(@CurrentActor() actor: Actor, @Param('itemId', itemId) id: string): Promise<TemplateItemView> {
    return this.template.restore(actor, id);
  }
}
