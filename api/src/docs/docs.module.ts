import { Module } from '@nestjs/common';
import { CollabModule } from '../collab/collab.module';
import { DocsController } from './docs.controller';
import { DocsService } from './docs.service';

@Module({ imports: [CollabModule], controllers: [DocsController], providers: [DocsService], exports: [DocsService] })
export class DocsModule {}
