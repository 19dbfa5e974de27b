import { Controller, Get } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { noQuerySchema, onePageOf, teamView, type NoQuery } from '@tandem/domain';
import { ApiOkJson } from '../common/responses';
import { ValidQuery } from '../common/validation';
import { Team } from './team.entity';

export interface TeamView {
  id: string;
  name: string;
}

@ApiTags('teams')
@ApiCookieAuth()
@Controller('api/v1/teams')
export class TeamsController {
  constructor(private readonly em: EntityManager) {}

  @Get()
  @ApiOperation({ summary: 'The organisation\'s teams (a short, fixed list: not paginated beyond one page)' })
  @ApiOkJson(onePageOf(teamView))
  async list(@ValidQuery(noQuerySchema) _query: NoQuery): Promise<{ items: TeamView[]; nextCursor: null }> {
    const teams = await this.em.find(Team, {}, { orderBy: { name: 'asc' }, limit: 500 });
    return { items: teams.map((t) => ({ id: t.id, name: t.name })), nextCursor: null };
  }
}
