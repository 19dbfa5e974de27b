import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CollabGateway } from './collab.gateway';
import { DocStore } from './doc-store';
import { RoomsService } from './rooms.service';

@Module({ imports: [AuthModule], providers: [DocStore, RoomsService, CollabGateway], exports: [DocStore, RoomsService] })
export class CollabModule {}
