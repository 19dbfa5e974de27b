import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createRaciActivitySchema, personRaciView, raciMatrixView, raciRowChangeView, setRaciCellSchema, type CreateRaciActivityInput, type SetRaciCellInput } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody } from '../common/validation';
import { RaciChangesService } from './raci-changes.service';
import { RaciService } from './raci.service';
import type { PersonRaciView, RaciMatrixView, RaciRowChangeView } from './raci.view';

/** `:program` is a program's id or key. Access is decided in the services through AccessService. */
@ApiTags('raci')
@ApiCookieAuth()
@Controller('api/v1')
export class RaciController {
  constructor(private readonly raci: RaciService, private readonly changes: RaciChangesService) {}

  @Get('programs/:program/raci')
  @ApiOperation({ summary: 'The RACI matrix: every milestone and free activity, the people and teams in it, and every rule violation (read)' })
  @ApiOkJson(raciMatrixView)
  matrix(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<RaciMatrixView> {
    return this.raci.matrix(actor, program);
  }

  @Post('programs/:program/raci/activities')
  @ApiOperation({ summary: 'Add a free activity row to the matrix (write)' })
  @ApiCreatedJson(raciRowChangeView)
  createActivity(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(createRaciActivitySchema) body: CreateRaciActivityInput): Promise<RaciRowChangeView> {
    return this.changes.createActivity(actor, program, body);
  }

  @Put('programs/:program/raci/cells')
  @ApiOperation({ summary: 'Set or clear one cell (write); rowId is a RACI row or a milestone of the program; a second A → 409 naming the holder' })
  @ApiOkJson(raciRowChangeView)
  setCell(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(setRaciCellSchema) body: SetRaciCellInput): Promise<RaciRowChangeView> {
    return this.changes.setCell(actor, program, body);
  }

  @Delete('raci/rows/:rowId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a free activity row (write), keeping it and its letters for POST …/restore; milestone rows go with their milestone' })
  deleteRow(@CurrentActor() actor: Actor, @Param('rowId', new IdPipe('RACI row')) rowId: string): Promise<void> {
    return this.changes.deleteRow(actor, rowId);
  }

  @Post('raci/rows/:rowId/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a deleted free activity back (write), the Undo of deleting it: the same row in its place, with every letter it had; a row in the matrix is answered as it is' })
  @ApiOkJson(raciRowChangeView)
  restoreRow(@CurrentActor() actor: Actor, @Param('rowId', new IdPipe('RACI row')) rowId: string): Promise<RaciRowChangeView> {
    return this.changes.restoreRow(actor, rowId);
  }

  @Get('raci/people/:userId')
  @ApiOperation({ summary: 'What a person (or `me`) is directly R or A for, grouped by program, in the programs the caller may read (any signed-in person)' })
  @ApiOkJson(personRaciView)
  forPerson(@CurrentActor() actor: Actor, @Param('userId') userId: string): Promise<PersonRaciView> {
    return this.raci.forPerson(actor, userId);
  }
}
