import { Controller, Get } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { portfolioQuerySchema, type PortfolioQuery } from '@tandem/domain';
import { portfolioView } from '@tandem/domain';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { ApiOkJson } from '../common/responses';
import { ValidQuery } from '../common/validation';
import { SendsPreparedJson } from './prepared-json';
import { PortfolioService, type PortfolioRow } from './portfolio.service';

@ApiTags('portfolio')
@ApiCookieAuth()
@Controller('api/v1/portfolio')
export class PortfolioController {
  constructor(private readonly portfolio: PortfolioService) {}

  @Get()
  @ApiOperation({
    summary:
      'One row per program the caller may read, archived ones left out (any signed-in person). ' +
      '`health` filters on the health the owner last reported, not the computed one.',
  })
  @ApiOkJson(portfolioView)
  @SendsPreparedJson()
  list(@CurrentActor() actor: Actor, @ValidQuery(portfolioQuerySchema) query: PortfolioQuery): Promise<{ items: PortfolioRow[] }> {
    return this.portfolio.list(actor, query);
  }
}
