import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AccessChanges } from './access-changes';
import { LiveEvents } from './live.events';
import { LiveGateway } from './live.gateway';

@Global()
@Module({ imports: [AuthModule], providers: [LiveEvents, LiveGateway, AccessChanges], exports: [LiveEvents, AccessChanges] })
export class LiveModule {}
