import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { RedisCommands } from '../redis/redis-commands';
import { ApiRateLimit } from '../security/api-rate-limit';
import { ApiTokensModule } from '../tokens/api-tokens.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Credentials } from './credentials';
import { LoginThrottle, MemoryLoginThrottle, RedisLoginThrottle } from './login-throttle';
import { OidcAccounts } from './oidc-accounts';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';
import { SessionCookies } from './session-cookies';
import { SessionGuard } from './session.guard';
import { SessionsService } from './sessions.service';

/** With Redis every node counts the same failed sign-ins; without it each node counts its own. */
function loginThrottle(config: AppConfig, redis: RedisCommands): LoginThrottle {
  const memory = new MemoryLoginThrottle(config.loginThrottle);
  return redis.client ? new RedisLoginThrottle(redis, config.loginThrottle, memory) : memory;
}

@Module({
  imports: [ApiTokensModule],
  controllers: [AuthController, OidcController],
  providers: [
    AuthService,
    SessionsService,
    SessionCookies,
    OidcService,
    OidcAccounts,
    Credentials,
    ApiRateLimit,
    { provide: LoginThrottle, useFactory: loginThrottle, inject: [APP_CONFIG, RedisCommands] },
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
  exports: [SessionsService, Credentials, ApiTokensModule],
})
export class AuthModule {}
