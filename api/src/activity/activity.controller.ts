import { Controller, Get, Param } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { activityView, pageOf, pageQuerySchema, type Page, type PageQuery } from '@tandem/domain';
import { AccessService } from '../access/access.service';
import type { Actor } from '../auth/auth.types';
import { CurrentActor } from '../auth/decorators';
import { decodeCursor, toPage } from '../common/pagination';
import { ApiOkJson } from '../common/responses';
import { ValidQuery } from '../common/validation';
import { Activity, type FieldChanges } from './activity.entity';

export interface ActivityView {
  id: string;
  at: string;
  actor: { id: string; name: string } | null;
  entityType: string;
  entityId: string | null;
  action: string;
  summary: string;
  changes: FieldChanges;
}

@ApiTags('activity')
@ApiCookieAuth()
@Controller('api/v1/programs/:program/activity')
export class ActivityController {
  constructor(private readonly em: EntityManager, private readonly access: AccessService) {}

  @Get()
  @ApiOperation({ summary: 'Every change to the program, newest first (read; cursor-paginated; never editable)' })
  @ApiOkJson(pageOf(activityView))
  async list(@CurrentActor() actor: Actor, @Param('program') programId: string, @ValidQuery(pageQuerySchema) query: PageQuery): Promise<Page<ActivityView>> {
    const { program } = await this.access.requireProgram(actor, programId, 'read');
    const before = decodeCursor(query.cursor, ['int']);
    const rows = await this.em.find(
      Activity,
      { program, ...(before ? { id: { $lt: String(before[0]) } } : {}) },
      { populate: ['actor'], orderBy: { id: 'desc' }, limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, (a) => [String(a.id)], (a) => ({
      id: String(a.id),
      at: a.at.toISOString(),
      actor: a.actor ? { id: a.actor.id, name: a.actor.name } : null,
      entityType: a.entityType,
      entityId: a.entityId,
      action: a.action,
      summary: a.summary,
      changes: a.changes,
    }));
  }
}
