import { Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createUserSchema, pageOf, pageQuerySchema, updateUserSchema, userView, type CreateUserInput, type Page, type PageQuery, type UpdateUserInput } from '@tandem/domain';
import { z } from 'zod';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { UsersService } from './users.service';
import type { UserView } from './user.view';

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

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, change org role, deactivate or reactivate a person (admins); deactivation ends their sessions' })
  @ApiOkJson(userView)
  update(@CurrentActor() actor: Actor, @Param('id', personId) id: string, @ValidBody(updateUserSchema) body: UpdateUserInput): Promise<UserView> {
    return this.users.update(actor, id, body);
  }
}
