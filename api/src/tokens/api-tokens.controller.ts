import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiForbiddenResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { apiTokenView, createApiTokenSchema, createdApiTokenView, noQuerySchema, onePageOf, type CreateApiTokenInput, type NoQuery } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor, SessionOnly } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { ApiTokensService, type ApiTokenView, type CreatedApiToken } from './api-tokens.service';

/** A person's own API tokens. Managed from a signed-in browser session only: a token cannot mint or revoke tokens. */
@ApiTags('tokens')
@ApiCookieAuth()
@SessionOnly()
@ApiForbiddenResponse({ description: 'Called with an API token instead of a session' })
@Controller('api/v1/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @ApiOperation({ summary: 'Make a personal API token (signed in); the token is shown only in this answer. Leadership (org viewer) accounts make read tokens only (400 on scope)' })
  @ApiCreatedJson(createdApiTokenView)
  create(@CurrentActor() actor: Actor, @ValidBody(createApiTokenSchema) body: CreateApiTokenInput): Promise<CreatedApiToken> {
    return this.tokens.create(actor, body);
  }

  @Get()
  @ApiOperation({ summary: "The caller's API tokens, newest first, without their secrets (signed in)" })
  @ApiOkJson(onePageOf(apiTokenView))
  list(@CurrentActor() actor: Actor, @ValidQuery(noQuerySchema) _query: NoQuery): Promise<{ items: ApiTokenView[]; nextCursor: null }> {
    return this.tokens.list(actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke one of the caller's API tokens (signed in); requests and connections using it stop at once" })
  revoke(@CurrentActor() actor: Actor, @Param('id', new IdPipe('API token')) id: string): Promise<void> {
    return this.tokens.revoke(actor, id);
  }
}
