import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  addDependencySchema,
  baselineView,
  dependenciesView,
  dependencyView,
  pageOf,
  pageQuerySchema,
  setBaselineSchema,
  type AddDependencyInput,
  type DependencyViolation,
  type Page,
  type PageQuery,
  type SetBaselineInput,
} from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { IdPipe } from '../common/id.pipe';
import { ApiCreatedJson, ApiOkJson } from '../common/responses';
import { ValidBody, ValidQuery } from '../common/validation';
import { BaselinesService } from './baselines.service';
import { DependenciesService } from './dependencies.service';
import type { BaselineView, DependencyView } from './milestone.view';

const milestoneId = new IdPipe('Milestone');

/** Dependencies between a program's milestones and its baselines. `:program` is an id or key. */
@ApiTags('milestones')
@ApiCookieAuth()
@Controller('api/v1/programs/:program')
export class ScheduleController {
  constructor(private readonly dependencies: DependenciesService, private readonly baselines: BaselinesService) {}

  @Get('dependencies')
  @ApiOperation({ summary: 'Every finish-to-start dependency and those whose successor starts before its predecessor is due (read)' })
  @ApiOkJson(dependenciesView)
  listDependencies(@CurrentActor() actor: Actor, @Param('program') program: string): Promise<{ items: DependencyView[]; violations: DependencyViolation[] }> {
    return this.dependencies.list(actor, program);
  }

  @Post('dependencies')
  @ApiOperation({ summary: 'Make one milestone wait for another of the same program (write); a duplicate or a cycle → 409 naming it' })
  @ApiCreatedJson(dependencyView)
  addDependency(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(addDependencySchema) body: AddDependencyInput): Promise<DependencyView> {
    return this.dependencies.add(actor, program, body);
  }

  @Delete('dependencies/:predecessorId/:successorId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a dependency (write)' })
  removeDependency(
    @CurrentActor() actor: Actor,
    @Param('program') program: string,
    @Param('predecessorId', milestoneId) predecessorId: string,
    @Param('successorId', milestoneId) successorId: string,
  ): Promise<void> {
    return this.dependencies.remove(actor, program, predecessorId, successorId);
  }

  @Post('baselines')
  @ApiOperation({ summary: 'Set a baseline: copy every milestone\'s dates; slip is measured against the latest (manage)' })
  @ApiCreatedJson(baselineView)
  setBaseline(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidBody(setBaselineSchema) body: SetBaselineInput): Promise<BaselineView> {
    return this.baselines.set(actor, program, body);
  }

  @Get('baselines')
  @ApiOperation({ summary: 'Baseline history, newest first, with how many milestones each holds (read; cursor-paginated)' })
  @ApiOkJson(pageOf(baselineView))
  listBaselines(@CurrentActor() actor: Actor, @Param('program') program: string, @ValidQuery(pageQuerySchema) query: PageQuery): Promise<Page<BaselineView>> {
    return this.baselines.list(actor, program, query);
  }
}
