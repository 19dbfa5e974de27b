import { Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createUserSchema, deactivationPreviewView, pageOf, pageQuerySchema, updateUserSchema, userChangeView, userView, type CreateUserInput, type Page, type PageQuery, type UpdateUserInput } from '@tandem/domain';
import { z } from 'zod';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { UsersService } from './users.service';
import type { DeactivationPreview, UserChange, UserView } from './user.view';

const listUsersQuery = pageQuerySchema.extend({
  includeInactive: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
});

const personId = new IdPipe('Person');

@ApiTags('users')
@ApiCookieAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'People in the organisation (any signed-in person; admins may include deactivated)' })
  @ApiOkJson(pageOf(userView))
  list(@CurrentActor() actor: Actor, @ValidQuery(listUsersQuery) query: PageQuery & { includeInactive: boolean }): Promise<Page<UserView>> {
    return this.users.list(actor, query);
  }

  @Post()
  @ApiOperation({ summary: 'Add a person (admins)' })
  @ApiCreatedJson(userView)
  create(@CurrentActor() actor: Actor, @ValidBody(createUserSchema) body: CreateUserInput): Promise<UserView> {
    return this.users.create(actor, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One person' })
  @ApiOkJson(userView)
  get(@Param('id', personId) id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Get(':id/deactivation')
  @ApiOperation({ summary: 'What deactivating a person would end: their sign-ins, their API tokens (for good), their calendar feed (admins)' })
  @ApiOkJson(deactivationPreviewView)
  deactivationPreview(@CurrentActor() actor: Actor, @Param('id', personId) id: string): Promise<DeactivationPreview> {
    return this.users.deactivationPreview(actor, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Rename, change org role, deactivate or reactivate a person (admins). Deactivation ends their sessions and deletes their API tokens for good, and says how many in `revoked`; reactivation does not bring tokens back. 409 when it would leave the organisation without an active admin, or when an admin demotes or deactivates themselves',
  })
  @ApiOkJson(userChangeView)
  update(@CurrentActor() actor: Actor, @Param('id', personId) id: string, @ValidBody(updateUserSchema) body: UpdateUserInput): Promise<UserChange> {
    return this.users.update(actor, id, body);
  }
}
