import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { loginSchema, meView, signInView, type LoginInput } from '@tandem/domain';
import type { Request, Response } from 'express';
import { ApiOkJson } from '../common/responses';
import { ValidBody } from '../common/validation';
import { AuthService, TooManyAttempts } from './auth.service';
import type { Actor } from './auth.types';
import { CurrentActor, Public } from './decorators';
import { SessionCookies } from './session-cookies';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: SessionCookies,
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
      const user = await this.auth.verify(body, { ip: req.ip ?? 'unknown' });
      return { user: await this.cookies.open(user, req, res) };
    } catch (error) {
      if (error instanceof TooManyAttempts) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out: ends the session on the server, closes the live and co-editing connections it opened, and clears the cookie' })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.cookies.close(req, res);
  }

  @Get('me')
  @ApiCookieAuth()
  @ApiOkJson(meView)
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}
