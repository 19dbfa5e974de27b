import { Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createDocSchema, pageQuerySchema, updateDocSchema, type CreateDocInput, type Page, type PageQuery, type UpdateDocInput } from '@tandem/domain';
import { z } from 'zod';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ValidBody, ValidQuery } from '../common/validation';
import type { DocView } from './doc.view';
import { DocsService } from './docs.service';

const docId = new IdPipe('Document');
const listDocsQuery = pageQuerySchema.extend({
  includeArchived: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});

@ApiTags('docs')
@ApiCookieAuth()
@Controller('api/v1')
export class DocsController {
  constructor(private readonly docs: DocsService) {}

  @Get('programs/:program/docs')
  @ApiOperation({ summary: 'Plans and retros of a program, newest first (read)' })
  list(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidQuery(listDocsQuery) query: PageQuery & { includeArchived: boolean }): Promise<Page<DocView>> {
    return this.docs.list(actor, program, query);
  }

  @Post('programs/:program/docs')
  @ApiOperation({ summary: 'Create a plan or a retro (write); its content is edited live over /collab' })
  create(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(createDocSchema) body: CreateDocInput): Promise<DocView> {
    return this.docs.create(actor, program, body);
  }

  @Get('docs/:id')
  @ApiOperation({ summary: 'One document (read)' })
  get(@CurrentActor() actor: Actor, @Param('id', docId) id: string): Promise<DocView> {
    return this.docs.get(actor, id);
  }

  @Patch('docs/:id')
  @ApiOperation({ summary: 'Rename a document (write)' })
  rename(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @ValidBody(updateDocSchema) body: UpdateDocInput): Promise<DocView> {
    return this.docs.rename(actor, id, body);
  }

  @Post('docs/:id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive a document (write); open editors are closed' })
  archive(@CurrentActor() actor: Actor, @Param('id', docId) id: string): Promise<DocView> {
    return this.docs.setArchived(actor, id, true);
  }

  @Post('docs/:id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring an archived document back (write)' })
  restore(@CurrentActor() actor: Actor, @Param('id', docId) id: string): Promise<DocView> {
    return this.docs.setArchived(actor, id, false);
  }
}
