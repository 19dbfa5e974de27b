import { timingSafeEqual } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { safeReturnPath, type OidcCallbackQuery } from '@tandem/domain';
import * as oidc from 'openid-client';
import { ValidationFailed } from '../common/validation';
import type { AppConfig, OidcConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { User } from '../users/user.entity';
import { OidcAccounts, OidcRefused, type ProviderIdentity } from './oidc-accounts';
import { OIDC_TRANSACTION_SECONDS, OidcTransactionSeal, type OidcTransaction } from './oidc-transaction';

export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';
/** After a failed discovery, requests are answered 503 for this long before the provider is asked again. */
const RETRY_AFTER_SECONDS = 5;
/** Each request to the provider (discovery, token, userinfo) gives up after this long. */
const PROVIDER_TIMEOUT_SECONDS = 10;

export class OidcUnavailable extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: 503,
        error: 'Service Unavailable',
        message: `The single sign-on provider cannot be reached; try again in ${retryAfterSeconds} seconds, or sign in with your password`,
        retryAfter: retryAfterSeconds,
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

const notConfigured = () => new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'Single sign-on is not configured on this server' });

/**
 * Sign-in through an OpenID Connect provider with openid-client: authorization code flow with
 * PKCE (S256), state and nonce; the ID token's signature, issuer, audience and nonce are checked by
 * openid-client. The provider's metadata is discovered once and kept; a failed discovery is not
 * fatal (the app starts without it) and is retried by the next sign-in after RETRY_AFTER_SECONDS.
 */
@Injectable()
export class OidcService implements OnApplicationBootstrap {
  private readonly logger = new Logger('OIDC');
  private readonly settings: OidcConfig | null;
  private readonly seal: OidcTransactionSeal;
  private discovered: Promise<oidc.Configuration> | null = null;
  private retryAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: OidcAccounts,
  ) {
    this.settings = config.oidc;
    this.seal = new OidcTransactionSeal(config.sessionSecret);
  }

  /** The sign-in button's label, or null when single sign-on is off. */
  get label(): string | null {
    return this.settings?.label ?? null;
  }

  onApplicationBootstrap(): void {
    // Warm the cache without holding up the start: a provider that is down now is asked again later.
    if (this.settings) this.configuration().catch(() => undefined);
  }

  /** Where to send the browser, and the sealed cookie that remembers this attempt (`returnTo` off this site becomes `/`). */
  async begin(returnTo: string | undefined, requestOrigin: string): Promise<{ url: string; cookie: string }> {
    const settings = this.required();
    const configuration = await this.configuration();
    const transaction: OidcTransaction = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      returnTo: safeReturnPath(returnTo),
      redirectUri: settings.redirectUri ?? `${this.config.publicOrigin ?? requestOrigin}${OIDC_CALLBACK_PATH}`,
      expiresAt: Date.now() + OIDC_TRANSACTION_SECONDS * 1000,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: transaction.redirectUri,
      scope: settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return { url: url.href, cookie: this.seal.seal(transaction) };
  }

  /**
   * The provider's redirect back: checks it belongs to the attempt in this browser's cookie (400
   * otherwise), exchanges the code, and answers whose account it signs in to — or throws
   * OidcRefused with a reason for the sign-in page, or OidcUnavailable when the provider does not answer.
   */
  async finish(query: OidcCallbackQuery, rawQuery: string, cookie: unknown): Promise<{ user: User; returnTo: string }> {
    this.required();
    const opened = this.seal.open(cookie);
    if (!opened.ok) throw new ValidationFailed([{ field: 'state', reason: opened.reason }]);
    const { transaction } = opened;
    if (!sameText(query.state, transaction.state)) {
      throw new ValidationFailed([{ field: 'state', reason: 'does not match the sign-in started in this browser; start again' }]);
    }
    if (!query.code && !query.error) throw new ValidationFailed([{ field: 'code', reason: 'is required' }]);
    try {
      const identity = await this.exchange(transaction, rawQuery);
      return { user: await this.accounts.resolve(identity), returnTo: transaction.returnTo };
    } catch (error) {
      if (error instanceof OidcRefused) {
        error.returnTo = transaction.returnTo;
        // A person without an account is routine; an answer that fails validation may be an attack or a misconfiguration.
        const level = error.code === 'invalid_response' || error.code === 'provider_error' ? 'warn' : 'log';
        this.logger[level](`single sign-on refused: ${error.message}`);
      }
      throw error;
    }
  }

  private async exchange(transaction: OidcTransaction, rawQuery: string): Promise<ProviderIdentity> {
    const configuration = await this.configuration();
    // The redirect URI the code was issued for, with the provider's parameters as they arrived.
    const current = new URL(transaction.redirectUri);
    current.search = rawQuery;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new OidcRefused('invalid_response', 'no ID token');
      // Providers may keep profile claims out of the ID token when they issue an access token
      // (OpenID Connect Core 5.4); userinfo has them, for the same subject (openid-client checks).
      const source = typeof claims.email === 'string' ? claims : await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      return {
        issuer: configuration.serverMetadata().issuer,
        subject: claims.sub,
        email: typeof source.email === 'string' ? source.email : null,
        emailVerified: typeof source.email_verified === 'boolean' ? source.email_verified : source.email_verified === 'false' ? false : undefined,
        name: typeof source.name === 'string' ? source.name : null,
      };
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** What a failure at the provider means for the person: try later (503), or a reason on the sign-in page. */
  private explain(error: unknown): unknown {
    if (error instanceof OidcRefused || error instanceof HttpException) return error;
    if (unreachable(error)) {
      this.logger.warn(`the provider did not answer: ${describe(error)}`);
      return new OidcUnavailable(RETRY_AFTER_SECONDS);
    }
    if (error instanceof oidc.AuthorizationResponseError) {
      return new OidcRefused(error.error === 'access_denied' ? 'cancelled' : 'provider_error', `the provider answered ${error.error}: ${error.error_description ?? ''}`);
    }
    if (error instanceof oidc.ResponseBodyError) {
      // invalid_client means our client id or secret is wrong: an operator has to act.
      if (error.error === 'invalid_client') this.logger.error('the provider refused OIDC_CLIENT_ID / OIDC_CLIENT_SECRET (invalid_client)');
      return new OidcRefused('provider_error', `the token endpoint answered ${error.error}: ${error.error_description ?? ''}`);
    }
    // The answer failed openid-client's checks (ID token signature, issuer, audience, nonce, expiry; `iss`).
    if (error instanceof oidc.ClientError) return new OidcRefused('invalid_response', describe(error));
    return error;
  }

  private required(): OidcConfig {
    if (!this.settings) throw notConfigured();
    return this.settings;
  }

  /** The provider's metadata: discovered once and kept; after a failure, asked again once RETRY_AFTER_SECONDS have passed. */
  private configuration(): Promise<oidc.Configuration> {
    const settings = this.required();
    if (this.discovered) return this.discovered;
    const wait = this.retryAt - Date.now();
    if (wait > 0) return Promise.reject(new OidcUnavailable(Math.ceil(wait / 1000)));
    this.discovered = this.discover(settings);
    return this.discovered;
  }

  private async discover(settings: OidcConfig): Promise<oidc.Configuration> {
    const issuer = new URL(settings.issuer);
    try {
      const configuration = await oidc.discovery(issuer, settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        // http is allowed only for a provider on this machine (the config refuses it elsewhere).
        execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      });
      this.logger.log(`discovered ${configuration.serverMetadata().issuer}`);
      return configuration;
    } catch (error) {
      this.discovered = null;
      this.retryAt = Date.now() + RETRY_AFTER_SECONDS * 1000;
      this.logger.warn(`discovery at ${settings.issuer} failed (retrying on the next sign-in after ${RETRY_AFTER_SECONDS} s): ${describe(error)}`);
      throw new OidcUnavailable(RETRY_AFTER_SECONDS);
    }
  }
}

/** Network failures, timeouts and 5xx answers: the provider is down, not wrong. */
function unreachable(error: unknown): boolean {
  // fetch's own failure (refused, reset, DNS) is a TypeError without a code; openid-client's argument errors have one.
  if (error instanceof TypeError && !('code' in error)) return true;
  if (error instanceof oidc.ResponseBodyError) return error.status >= 500;
  if (error instanceof oidc.ClientError) {
    if (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT') return true;
    return error.cause instanceof Response && error.cause.status >= 500;
  }
  return false;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : error.cause instanceof Response ? ` (HTTP ${error.cause.status})` : '';
  return `${error.message}${cause}`;
}

function sameText(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
