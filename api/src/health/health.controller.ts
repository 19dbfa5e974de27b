import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Response } from 'express';
import { liveView, readyView } from '@tandem/domain';
import { Public } from '../auth/decorators';
import { RelayService, type RelayStatus } from '../collab/relay';
import { ApiOkJson } from '../common/responses';

export interface Readiness {
  status: 'ok' | 'degraded' | 'unavailable';
  database: string;
  migrations: string;
  redis: RelayStatus;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly orm: MikroORM, private readonly relay: RelayService) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkJson(liveView)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * PostgreSQL is required: without it (or with migrations pending) the node is not ready (503).
   * Redis is not: while it is down edits are still saved and served, and other nodes catch up
   * when it returns, so the node stays in rotation and says `degraded`.
   */
  @Get('ready')
  @ApiOperation({ summary: 'The database answers and every migration is applied (503 otherwise); `degraded` (200) while Redis is down' })
  @ApiOkJson(readyView)
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    let database = 'ok';
    let migrations = 'applied';
    try {
      await this.orm.em.getConnection().execute('select 1');
      const pending = await this.orm.getMigrator().getPendingMigrations();
      if (pending.length) migrations = `${pending.length} pending`;
    } catch (error) {
      database = `unreachable: ${error instanceof Error ? error.message : String(error)}`;
      migrations = 'unknown';
    }
    const redis = this.relay.status;
    const ok = database === 'ok' && migrations === 'applied';
    res.setHeader('Cache-Control', 'no-store');
    if (!ok) res.status(503).setHeader('Retry-After', '5');
    return { status: !ok ? 'unavailable' : redis === 'down' ? 'degraded' : 'ok', database, migrations, redis };
  }
}
