import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { LiveEvents } from './live.events';
import { LiveGateway } from './live.gateway';

@Global()
@Module({ imports: [AuthModule], providers: [LiveEvents, LiveGateway], exports: [LiveEvents] })
export class LiveModule {}
