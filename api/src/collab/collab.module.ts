import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CollabGateway } from './collab.gateway';
import { DocStore } from './doc-store';
import { RelayService } from './relay';
import { RoomsService } from './rooms.service';

@Module({ imports: [AuthModule], providers: [DocStore, RoomsService, RelayService, CollabGateway], exports: [DocStore, RoomsService, RelayService, CollabGateway] })
export class CollabModule {}
