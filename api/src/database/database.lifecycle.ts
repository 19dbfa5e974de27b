import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { User } from '../users/user.entity';
import { DATABASE_TARGET } from './database.tokens';
import type { DatabaseTarget } from './embedded';
import { seedDemo } from './seeders/demo';

/** At start: apply migrations (when this node is the one that migrates) and seed an empty demo database. */
@Injectable()
export class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_TARGET) private readonly target: DatabaseTarget,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.migrateOnStart) {
      const applied = await this.orm.getMigrator().up();
      if (applied.length) this.logger.log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    }
    if (this.config.seedDemo) {
      const em = this.orm.em.fork();
      if ((await em.count(User, {})) === 0) {
        await seedDemo(em);
        this.logger.log('Seeded the demo organisation (demo accounts use the password "demo-password")');
      }
    }
  }

  /** The ORM closes its pool first (MikroOrmModule); then the embedded server can stop. */
  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
    await this.target.close();
  }
}
