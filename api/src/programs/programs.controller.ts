import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  addMemberSchema,
  changeMemberSchema,
  createProgramSchema,
  listProgramsQuerySchema,
  memberView,
  pageOf,
  pageQuerySchema,
  programView,
  updateProgramSchema,
  type AddMemberInput,
  type ChangeMemberInput,
  type CreateProgramInput,
  type ListProgramsQuery,
  type Page,
  type PageQuery,
  type UpdateProgramInput,
} from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { MembersService } from './members.service';
import type { MemberView, ProgramView } from './program.view';
import { ProgramsService } from './programs.service';

const personId = new IdPipe('Member');

/** `:program` is a program's id or its key. Access is decided in the services through AccessService. */
@ApiTags('programs')
@ApiCookieAuth()
@Controller('api/v1/programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramsService, private readonly members: MembersService) {}

  @Get()
  @ApiOperation({ summary: 'Programs the caller may read, by key (cursor-paginated)' })
  @ApiOkJson(pageOf(programView))
  list(@CurrentActor() actor: Actor, @ValidQuery(listProgramsQuerySchema) query: ListProgramsQuery): Promise<Page<ProgramView>> {
    return this.programs.list(actor, query);
  }

  @Post()
  @ApiOperation({ summary: 'Start a program (org admins and members); the caller becomes its owner' })
  @ApiCreatedJson(programView)
  create(@CurrentActor() actor: Actor, @ValidBody(createProgramSchema) body: CreateProgramInput): Promise<ProgramView> {
    return this.programs.create(actor, body);
  }

  @Get(':program')
  @ApiOperation({ summary: 'One program (read)' })
  @ApiOkJson(programView)
  get(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<ProgramView> {
    return this.programs.get(actor, program);
  }

  @Patch(':program')
  @ApiOperation({ summary: 'Change a program\'s details or owner (manage)' })
  @ApiOkJson(programView)
  update(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(updateProgramSchema) body: UpdateProgramInput): Promise<ProgramView> {
    return this.programs.update(actor, program, body);
  }

  @Post(':program/archive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Archive a program (manage): it leaves the default list and becomes read-only — every change to it or its plan, documents, rollout and RACI is 409 until it is restored (its members and share links stay manageable); its open documents become read-only at once' })
  @ApiOkJson(programView)
  archive(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<ProgramView> {
    return this.programs.setArchived(actor, program, true);
  }

  @Post(':program/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring an archived program back (manage); its open documents can be written again' })
  @ApiOkJson(programView)
  restore(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<ProgramView> {
    return this.programs.setArchived(actor, program, false);
  }

  @Get(':program/members')
  @ApiOperation({ summary: 'Members of a program and their roles (read)' })
  @ApiOkJson(pageOf(memberView))
  listMembers(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidQuery(pageQuerySchema) query: PageQuery): Promise<Page<MemberView>> {
    return this.members.list(actor, program, query);
  }

  @Post(':program/members')
  @ApiOperation({ summary: 'Add a person to a program with a role (manage)' })
  @ApiCreatedJson(memberView)
  addMember(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(addMemberSchema) body: AddMemberInput): Promise<MemberView> {
    return this.members.add(actor, program, body);
  }

  @Patch(':program/members/:userId')
  @ApiOperation({ summary: 'Change a member\'s role (manage)' })
  @ApiOkJson(memberView)
  changeMember(
    @CurrentActor() actor: Actor,
    @Param('program') program: string,
    @Param('userId', personId) userId: string,
    @ValidBody(changeMemberSchema) body: ChangeMemberInput,
  ): Promise<MemberView> {
    return this.members.changeRole(actor, program, userId, body.role);
  }

  @Delete(':program/members/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (manage); the named owner cannot be removed' })
  removeMember(@CurrentActor() actor: Actor, @Param('program') program: string, @Param('userId', personId) userId: string): Promise<void> {
    return this.members.remove(actor, program, userId);
  }
}
