import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createWaveSchema, pageOf, pageQuerySchema, rolloutGridView, updateWaveSchema, waveView, type CreateWaveInput, type Page, type PageQuery, type UpdateWaveInput } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { RolloutGridService, type RolloutGridView } from './rollout-grid.service';
import type { WaveView } from './rollout.view';
import { WavesService } from './waves.service';

const waveId = new IdPipe('Wave');

/** `:program` is a program's id or key. Access is decided in the services through AccessService. */
@ApiTags('rollouts')
@ApiCookieAuth()
@Controller('api/v1')
export class WavesController {
  constructor(private readonly waves: WavesService, private readonly grid: RolloutGridService) {}

  @Get('programs/:program/waves')
  @ApiOperation({ summary: 'The program\'s rollout waves with checklist completion, by position (read; cursor-paginated)' })
  @ApiOkJson(pageOf(waveView))
  list(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidQuery(pageQuerySchema) query: PageQuery): Promise<Page<WaveView>> {
    return this.waves.list(actor, program, query);
  }

  @Post('programs/:program/waves')
  @ApiOperation({ summary: 'Create a wave (write); its checklist starts as a copy of the template, due dates from go-live' })
  @ApiCreatedJson(waveView)
  create(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(createWaveSchema) body: CreateWaveInput): Promise<WaveView> {
    return this.waves.create(actor, program, body);
  }

  @Get('programs/:program/rollout-grid')
  @ApiOperation({ summary: 'Waves × checklist items with each cell\'s state, for the rollout grid (read)' })
  @ApiOkJson(rolloutGridView)
  rolloutGrid(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<RolloutGridView> {
    return this.grid.grid(actor, program);
  }

  @Get('waves/:id')
  @ApiOperation({ summary: 'One wave with its checklist completion (read)' })
  @ApiOkJson(waveView)
  get(@CurrentActor() actor: Actor, @Param('id', waveId) id: string): Promise<WaveView> {
    return this.waves.get(actor, id);
  }

  @Patch('waves/:id')
  @ApiOperation({ summary: 'Change a wave (write); going live with open required items → 409 listing them, unless an owner (manage) gives overrideReason; moving plannedGoLive moves the checklist due dates with it; a live wave leaves live only by being rolled back (else 409)' })
  @ApiOkJson(waveView)
  update(@CurrentActor() actor: Actor, @Param('id', waveId) id: string, @ValidBody(updateWaveSchema) body: UpdateWaveInput): Promise<WaveView> {
    return this.waves.update(actor, id, body);
  }

  @Delete('waves/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a wave and its checklist (write); a live wave → 409 (roll it back first); items that milestones wait for → 409 naming the milestones (unlink them first)' })
  remove(@CurrentActor() actor: Actor, @Param('id', waveId) id: string): Promise<void> {
    return this.waves.remove(actor, id);
  }
}
