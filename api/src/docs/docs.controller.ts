import { Controller, Get, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  convertActionItemSchema,
  createDocSchema,
  pageQuerySchema,
  updateDocSchema,
  type ConvertActionItemInput,
  type CreateDocInput,
  type Page,
  type PageQuery,
  type UpdateDocInput,
} from '@tandem/domain';
import type { Response } from 'express';
import { z } from 'zod';
import { cardConversionView, docView, pageOf } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson, ApiOkText } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { DocExport, type ExportFormat } from './doc-export.service';
import type { DocView } from './doc.view';
import { DocsService } from './docs.service';
import { RetroService, type ConvertResult } from './retro.service';

const docId = new IdPipe('Document');

const EXPORT_TYPES: Record<ExportFormat, string> = { md: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8' };
/** The export holds only escaped text and inline styles; nothing in it may run or load. */
const EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";
const listDocsQuery = pageQuerySchema.extend({
  includeArchived: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});

@ApiTags('docs')
@ApiCookieAuth()
@Controller('api/v1')
export class DocsController {
  constructor(private readonly docs: DocsService, private readonly exporter: DocExport, private readonly retro: RetroService) {}

  @Get('programs/:program/docs')
  @ApiOperation({ summary: 'Plans and retros of a program, newest first (read)' })
  @ApiOkJson(pageOf(docView))
  list(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidQuery(listDocsQuery) query: PageQuery & { includeArchived: boolean }): Promise<Page<DocView>> {
    return this.docs.list(actor, program, query);
  }

  @Post('programs/:program/docs')
  @ApiOperation({ summary: 'Create a plan or a retro (write); its content is edited live over /collab' })
  @ApiCreatedJson(docView)
  create(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(createDocSchema) body: CreateDocInput): Promise<DocView> {
    return this.docs.create(actor, program, body);
  }

  @Get('docs/:id')
  @ApiOperation({ summary: 'One document (read)' })
  @ApiOkJson(docView)
  get(@CurrentActor() actor: Actor, @Param('id', docId) id: string): Promise<DocView> {
    return this.docs.get(actor, id);
  }

  @Patch('docs/:id')
  @ApiOperation({ summary: 'Rename a document (write)' })
  @ApiOkJson(docView)
  rename(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @ValidBody(updateDocSchema) body: UpdateDocInput): Promise<DocView> {
    return this.docs.rename(actor, id, body);
  }

  @Post('docs/:id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive a document (write); whoever has it open keeps reading it, read-only, and it opens read-only until restored' })
  @ApiOkJson(docView)
  archive(@CurrentActor() actor: Actor, @Param('id', docId) id: string): Promise<DocView> {
    return this.docs.setArchived(actor, id, true);
  }

  @Post('docs/:id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring an archived document back (write); open editors can write again at once' })
  @ApiOkJson(docView)
  restore(@CurrentActor() actor: Actor, @Param('id', docId) id: string): Promise<DocView> {
    return this.docs.setArchived(actor, id, false);
  }

  @Get('docs/:id/export.md')
  @ApiProduces(EXPORT_TYPES.md)
  @ApiOperation({ summary: 'The document as Markdown, from its stored state; a retro\'s board follows the text (read)' })
  @ApiOkText(EXPORT_TYPES.md)
  exportMarkdown(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.export(actor, id, 'md', res);
  }

  @Get('docs/:id/export.html')
  @ApiProduces(EXPORT_TYPES.html)
  @ApiOperation({ summary: 'The document as a self-contained HTML page, from its stored state; a retro\'s board follows the text (read)' })
  @ApiOkText(EXPORT_TYPES.html)
  exportHtml(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    return this.export(actor, id, 'html', res);
  }

  @Post('docs/:id/cards/:cardId/convert')
  @HttpCode(200)
  @ApiOperation({ summary: 'Turn a retro card into a milestone or a checklist item of a wave of the same program (write); the card keeps the link; 409 while what it was turned into still exists' })
  @ApiOkJson(cardConversionView)
  convert(
    @CurrentActor() actor: Actor,
    @Param('id', docId) id: string,
    @Param('cardId') card: string,
    @ValidBody(convertActionItemSchema) body: ConvertActionItemInput,
  ): Promise<ConvertResult> {
    return this.retro.convert(actor, id, card, body);
  }

  /** Headers only once the body exists, so an error answer stays plain JSON. */
  private async export(actor: Actor, id: string, format: ExportFormat, res: Response): Promise<string> {
    const file = await this.exporter.export(actor, id, format);
    res.setHeader('Content-Type', EXPORT_TYPES[format]);
    res.setHeader('Content-Disposition', file.disposition);
    res.setHeader('Content-Security-Policy', EXPORT_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    return file.body;
  }
}
