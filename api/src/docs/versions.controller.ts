import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createVersionSchema, pageQuerySchema, type CreateVersionInput, type Page, type PageQuery } from '@tandem/domain';
import { docVersionPreviewView, docVersionRestoreView, docVersionView, pageOf } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { VersionsService, type RestoreResult, type VersionPreview, type VersionView } from './versions.service';

const docId = new IdPipe('Document');
const versionId = new IdPipe('Version');

@ApiTags('docs')
@ApiCookieAuth()
@Controller('api/v1/docs/:id/versions')
export class VersionsController {
  constructor(private readonly versions: VersionsService) {}

  @Get()
  @ApiOperation({ summary: 'Saved versions of a document, newest first, without their content (read; cursor-paginated)' })
  @ApiOkJson(pageOf(docVersionView))
  list(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @ValidQuery(pageQuerySchema) query: PageQuery): Promise<Page<VersionView>> {
    return this.versions.list(actor, id, query);
  }

  @Post()
  @ApiOperation({ summary: 'Save the document as it is now under a name (write)' })
  @ApiCreatedJson(docVersionView)
  create(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @ValidBody(createVersionSchema) body: CreateVersionInput): Promise<VersionView> {
    return this.versions.create(actor, id, body);
  }

  @Get(':versionId')
  @ApiOperation({ summary: 'A version with its content as Markdown and HTML, for a preview (read)' })
  @ApiOkJson(docVersionPreviewView)
  preview(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @Param('versionId', versionId) version: string): Promise<VersionPreview> {
    return this.versions.preview(actor, id, version);
  }

  @Post(':versionId/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring the document back to a version as a new edit that open editors receive (write); the state before is saved as a "restore" version, so it can be undone' })
  @ApiOkJson(docVersionRestoreView)
  restore(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @Param('versionId', versionId) version: string): Promise<RestoreResult> {
    return this.versions.restore(actor, id, version);
  }
}
