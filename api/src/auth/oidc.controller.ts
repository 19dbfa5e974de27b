import { Controller, Get, HttpCode, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  authProvidersView,
  oidcCallbackQuerySchema,
  oidcStartQuerySchema,
  type OidcCallbackQuery,
  type OidcSignInError,
  type OidcStartQuery,
} from '@tandem/domain';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { ApiOkJson } from '../common/responses';
import { ValidQuery } from '../common/validation';
import { Public } from './decorators';
import { OidcRefused } from './oidc-accounts';
import { OIDC_COOKIE, OIDC_TRANSACTION_SECONDS, oidcCookieOptions } from './oidc-transaction';
import { OidcService, OidcUnavailable } from './oidc.service';
import { SessionCookies } from './session-cookies';

const LOCATION = { Location: { description: 'where the browser goes next', schema: { type: 'string' } } };

/**
 * Single sign-on with an OpenID Connect provider, alongside passwords. The browser navigates
 * through these (they answer redirects, not JSON), so failures a person can act on end on the
 * sign-in page with a reason (`/login?error=<code>`); only a broken or forged callback (400) and a
 * provider that does not answer (503, Retry-After) are answered here.
 */
@ApiTags('auth')
@Controller('api/v1/auth')
export class OidcController {
  constructor(
    private readonly oidc: OidcService,
    private readonly cookies: SessionCookies,
  ) {}

  @Public()
  @Get('providers')
  @ApiOperation({ summary: 'How people may sign in: passwords always, single sign-on when configured (with its button label)' })
  @ApiOkJson(authProvidersView)
  providers(): z.output<typeof authProvidersView> {
    const label = this.oidc.label;
    return { password: true, oidc: label === null ? null : { label } };
  }

  @Public()
  @Get('oidc/start')
  @HttpCode(302)
  @ApiOperation({
    summary: 'Start single sign-on: redirects to the provider (authorization code with PKCE, state and nonce)',
    description: 'Sets a short-lived (10 minutes) sealed cookie for the callback. `returnTo` must be a path on this site; anything else becomes `/`.',
  })
  @ApiResponse({ status: 302, description: "The provider's authorization page", headers: LOCATION })
  @ApiNotFoundResponse({ description: 'Single sign-on is not configured' })
  @ApiServiceUnavailableResponse({ description: 'The provider cannot be reached; see Retry-After' })
  async start(@ValidQuery(oidcStartQuerySchema) query: OidcStartQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const { url, cookie } = await this.oidc.begin(query.returnTo, `${req.protocol}://${req.host}`);
      res.cookie(OIDC_COOKIE, cookie, { ...oidcCookieOptions(req), maxAge: OIDC_TRANSACTION_SECONDS * 1000 });
      res.redirect(302, url);
    } catch (error) {
      throw retryLater(error, res);
    }
  }

  @Public()
  @Get('oidc/callback')
  @HttpCode(302)
  @ApiOperation({
    summary: "The provider's redirect back: signs in (sets the session cookie) and redirects to `returnTo`",
    description:
      'A refusal the person can act on (no account for the email, deactivated account, unverified email, cancelled at the provider, ' +
      'an answer that fails validation) redirects to `/login?error=<code>`.',
  })
  @ApiResponse({ status: 302, description: 'Signed in: the `returnTo` path; refused: `/login?error=<code>&next=<returnTo>`', headers: LOCATION })
  @ApiBadRequestResponse({ description: 'No sign-in in progress in this browser, or `state` does not match it (field `state`), or no `code`' })
  @ApiNotFoundResponse({ description: 'Single sign-on is not configured' })
  @ApiServiceUnavailableResponse({ description: 'The provider cannot be reached; see Retry-After' })
  async callback(@ValidQuery(oidcCallbackQuerySchema) query: OidcCallbackQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const sealed: unknown = req.cookies?.[OIDC_COOKIE];
    // One attempt, one callback: whatever happens next, this cookie is spent.
    res.clearCookie(OIDC_COOKIE, oidcCookieOptions(req));
    try {
      const { user, returnTo } = await this.oidc.finish(query, rawQuery(req), sealed);
      await this.cookies.open(user, req, res);
      res.redirect(302, returnTo);
    } catch (error) {
      if (error instanceof OidcRefused) return res.redirect(302, signInPage(error.code, error.returnTo));
      throw retryLater(error, res);
    }
  }
}

/** The query string exactly as the provider sent it (openid-client reads its parameters itself). */
function rawQuery(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at);
}

function signInPage(code: OidcSignInError, returnTo: string): string {
  const params = new URLSearchParams({ error: code });
  if (returnTo !== '/') params.set('next', returnTo);
  return `/login?${params}`;
}

function retryLater(error: unknown, res: Response): unknown {
  if (error instanceof OidcUnavailable) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  return error;
}
