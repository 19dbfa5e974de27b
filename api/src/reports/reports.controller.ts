import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createShareLinkSchema, pageQuerySchema, type CreateShareLinkInput, type Page, type PageQuery } from '@tandem/domain';
import { createdShareLinkView, pageOf, shareLinkView, statusReportView } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor, Public } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { Produces } from '../common/produces';
import { ReportService } from './report.service';
import type { StatusReport } from './report.view';
import { ShareLinksService, type CreatedShareLink, type ShareLinkView } from './share-links.service';

const MARKDOWN = 'text/markdown; charset=utf-8';

/** `:program` is a program's id or its key. */
@ApiTags('status report')
@ApiCookieAuth()
@Controller('api/v1')
export class ReportsController {
  constructor(private readonly reports: ReportService, private readonly links: ShareLinksService) {}

  @Get('programs/:program/report')
  @ApiOperation({ summary: 'The program status report: health and reasons, changes since the previous update, slips, checklists, RACI gaps, latest update (read)' })
  @ApiOkJson(statusReportView)
  report(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<StatusReport> {
    return this.reports.forReader(actor, program);
  }

  @Get('programs/:program/report.md')
  @Produces(MARKDOWN)
  @ApiOperation({ summary: 'The program status report as Markdown (read)' })
  reportMarkdown(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<string> {
    return this.reports.markdownForReader(actor, program);
  }

  @Post('programs/:program/share-links')
  @ApiOperation({ summary: 'Create a read-only link to the status report (manage); the token is shown only in this answer' })
  @ApiCreatedJson(createdShareLinkView)
  createLink(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(createShareLinkSchema) body: CreateShareLinkInput): Promise<CreatedShareLink> {
    return this.links.create(actor, program, body);
  }

  @Get('programs/:program/share-links')
  @ApiOperation({ summary: 'The program\'s share links, newest first, without their tokens (manage; cursor-paginated)' })
  @ApiOkJson(pageOf(shareLinkView))
  listLinks(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidQuery(pageQuerySchema) query: PageQuery): Promise<Page<ShareLinkView>> {
    return this.links.list(actor, program, query);
  }

  @Delete('share-links/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a share link (manage of its program); it answers 404 from then on' })
  revokeLink(@CurrentActor() actor: Actor, @Param('id', new IdPipe('Share link')) id: string): Promise<void> {
    return this.links.revoke(actor, id);
  }

  @Public()
  @Get('shared/:token/report')
  @ApiOperation({ summary: 'The status report behind a share link (public: the token is the permission); unknown, revoked or expired → 404' })
  @ApiOkJson(statusReportView)
  sharedReport(@Param('token') token: string): Promise<StatusReport> {
    return this.links.sharedReport(token);
  }

  @Public()
  @Get('shared/:token/report.md')
  @Produces(MARKDOWN)
  @ApiOperation({ summary: 'The status report behind a share link, as Markdown (public: the token is the permission)' })
  sharedReportMarkdown(@Param('token') token: string): Promise<string> {
    return this.links.sharedMarkdown(token);
  }
}
