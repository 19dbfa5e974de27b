import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { loginSchema, meView, signInView, type LoginInput } from '@tandem/domain';
import type { CookieOptions, Request, Response } from 'express';
import { ApiOkJson } from '../common/responses';
import { ValidBody } from '../common/validation';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AuthService, TooManyAttempts } from './auth.service';
import { SESSION_COOKIE, type Actor } from './auth.types';
import { CurrentActor, Public } from './decorators';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password; sets the session cookie' })
  @ApiUnauthorizedResponse({ description: 'Email or password is incorrect (same answer for unknown accounts)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed attempts for this account or address; see Retry-After' })
  @ApiOkJson(signInView)
  async login(@ValidBody(loginSchema) body: LoginInput, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ user: Actor }> {
    try {
      const { actor, token, expiresAt } = await this.auth.login(body, { ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') ?? null });
      // Rotate: whatever session this browser had ends once the new one exists.
      const previous: unknown = req.cookies?.[SESSION_COOKIE];
      if (typeof previous === 'string') await this.sessions.end(previous);
      res.cookie(SESSION_COOKIE, token, { ...this.cookieOptions(req), expires: expiresAt });
      return { user: actor };
    } catch (error) {
      if (error instanceof TooManyAttempts) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session on the server and clears the cookie' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string') await this.sessions.end(token);
    res.clearCookie(SESSION_COOKIE, this.cookieOptions(req));
  }

  @Get('me')
  @ApiCookieAuth()
  @ApiOkJson(meView)
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }

  private cookieOptions(req: Request): CookieOptions {
    return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' };
  }
}
