import { Controller, Get, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createProgramFromTemplateSchema, noQuerySchema, type CreateProgramFromTemplateInput, type NoQuery } from '@tandem/domain';
import { onePageOf, programTemplateView, programView } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import type { ProgramView } from '../programs/program.view';
import { TemplatesService, type TemplateView } from './templates.service';

@ApiTags('templates')
@ApiCookieAuth()
@Controller('api/v1')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get('templates')
  @ApiOperation({ summary: 'Program templates: standard milestones and a go-live checklist (any signed-in person)' })
  @ApiOkJson(onePageOf(programTemplateView))
  list(@ValidQuery(noQuerySchema) _query: NoQuery): Promise<{ items: TemplateView[]; nextCursor: null }> {
    return this.templates.list();
  }

  @Post('programs/from-template')
  @ApiOperation({ summary: 'Start a program from a template (org admins and members); the caller becomes its owner' })
  @ApiCreatedJson(programView)
  create(@CurrentActor() actor: Actor, @ValidBody(createProgramFromTemplateSchema) body: CreateProgramFromTemplateInput): Promise<ProgramView> {
    return this.templates.createProgram(actor, body);
  }
}
