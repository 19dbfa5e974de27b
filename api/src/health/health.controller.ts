import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Response } from 'express';
import { liveView, readyView } from '@tandem/domain';
import { Public } from '../auth/decorators';
import { ApiOkJson } from '../common/responses';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly orm: MikroORM) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkJson(liveView)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'The database answers and every migration is applied (503 otherwise)' })
  @ApiOkJson(readyView)
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ok' | 'unavailable'; database: string; migrations: string }> {
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
    const ok = database === 'ok' && migrations === 'applied';
    if (!ok) res.status(503).setHeader('Retry-After', '5');
    return { status: ok ? 'ok' : 'unavailable', database, migrations };
  }
}
