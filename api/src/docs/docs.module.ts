import { Module } from '@nestjs/common';
import { CollabModule } from '../collab/collab.module';
import { MilestonesModule } from '../milestones/milestones.module';
import { RolloutsModule } from '../rollouts/rollouts.module';
import { DocContent } from './doc-content.service';
import { DocExport } from './doc-export.service';
import { DocsController } from './docs.controller';
import { DocsService } from './docs.service';
import { RetroService } from './retro.service';
import { VersionsController } from './versions.controller';
import { VersionsService } from './versions.service';

@Module({
  imports: [CollabModule, MilestonesModule, RolloutsModule],
  controllers: [DocsController, VersionsController],
  providers: [DocsService, DocContent, DocExport, VersionsService, RetroService],
  exports: [DocsService],
})
export class DocsModule {}
