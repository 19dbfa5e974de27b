import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Account } from 'oidc-provider';
import request from 'supertest';
import type { TestApp } from './harness';

/**
 * A real OpenID Connect provider for the single sign-on tests: `oidc-provider` (the certified
 * Node implementation) on port 0, with its quick-start login and consent pages, and a "browser"
 * that drives the whole redirect dance — the app through Supertest (its own cookie jar), the
 * provider over HTTP with a small cookie jar of its own. Nothing here stands in for Tandem code.
 */

export const APP_ORIGIN = 'http://tandem.test';
export const REDIRECT_URI = `${APP_ORIGIN}/api/v1/auth/oidc/callback`;
export const CLIENT_ID = 'tandem-test';
export const CLIENT_SECRET = 'tandem-test-client-secret-0123456789';

export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestProvider {
  issuer: string;
  /** accounts by subject (`sub`); change them between sign-ins to change what the provider says */
  accounts: Map<string, ProviderAccount>;
  /** stops answering (connections refused) until `resume` */
  stop(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

const listen = (server: Server, port = 0): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

const shut = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

export async function startProvider(): Promise<TestProvider> {
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, ProviderAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['oidc-test-cookie-key-0123456789abcdef'] },
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 3600, Grant: 3600 },
    findAccount: (_ctx, sub): Account | undefined => {
      const account = accounts.get(sub);
      return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    accounts,
    stop: () => shut(server),
    resume: async () => {
      await listen(server, port);
    },
    close: () => shut(server),
  };
}

/**
 * A discovery document that claims to be `issuer` X but points at a real provider's endpoints:
 * what the app sees when a provider signs its ID tokens as someone else. `down` answers 503.
 */
export async function startImpostor(real: TestProvider): Promise<{ issuer: string; down: boolean; close(): Promise<void> }> {
  const state = { issuer: '', down: true };
  const server = createServer((req, res) => {
    void (async () => {
      if (state.down || req.url !== '/.well-known/openid-configuration') {
        res.writeHead(state.down ? 503 : 404).end();
        return;
      }
      const metadata = (await (await fetch(`${real.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      // Without RFC 9207's `iss` parameter, the ID token's own `iss` is what gives the provider away.
      delete metadata.authorization_response_iss_parameter_supported;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...metadata, issuer: state.issuer }));
    })();
  });
  state.issuer = `http://127.0.0.1:${await listen(server)}`;
  return Object.assign(state, { close: () => shut(server) });
}

/** One person's browser: cookies for the app (Supertest's agent) and for the provider. */
export class Browser {
  readonly app: ReturnType<typeof request.agent>;
  private readonly jar = new Map<string, string>();

  constructor(t: TestApp) {
    this.app = request.agent(t.app.getHttpServer());
  }

  /** GET /oidc/start; answers the app's response and the provider URL it redirects to. */
  async start(returnTo?: string) {
    const res = await this.app.get('/api/v1/auth/oidc/start').query(returnTo === undefined ? {} : { returnTo });
    return { res, authorizeUrl: res.status === 302 ? new URL(res.headers.location as string) : null };
  }

  /**
   * Signs in at the provider as `sub` (login, then consent, through its own pages) and answers the
   * URL it sends the browser back to — the app's callback, not yet visited.
   */
  async authorize(authorizeUrl: URL, sub: string, options: { abort?: boolean } = {}): Promise<URL> {
    let next = authorizeUrl.href;
    for (let step = 0; step < 12; step++) {
      if (next.startsWith(REDIRECT_URI)) return new URL(next);
      const page = await this.provider(next);
      if (page.status >= 300 && page.status < 400) {
        next = new URL(page.headers.get('location')!, next).href;
        continue;
      }
      const html = await page.text();
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      if (page.status !== 200 || !prompt) throw new Error(`the provider answered ${page.status}: ${html.slice(0, 300)}`);
      if (options.abort) {
        next = `${next}/abort`;
        continue;
      }
      const form: Record<string, string> = prompt === 'login' ? { prompt, login: sub, password: 'any' } : { prompt };
      const submitted = await this.provider(next, { method: 'POST', body: new URLSearchParams(form) });
      next = new URL(submitted.headers.get('location')!, next).href;
    }
    throw new Error('the provider never redirected back to the app');
  }

  /** Follows the provider's redirect back into the app (GET /oidc/callback?…). */
  callback(url: URL, headers: Record<string, string> = {}) {
    return this.app.get(`${url.pathname}${url.search}`).set(headers);
  }

  /** start → provider → callback, as a person clicking the button would. */
  async signIn(sub: string, returnTo?: string) {
    const { authorizeUrl, res } = await this.start(returnTo);
    if (!authorizeUrl) throw new Error(`start answered ${res.status}: ${JSON.stringify(res.body)}`);
    return this.callback(await this.authorize(authorizeUrl, sub));
  }

  private async provider(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(url, { ...init, redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const header of res.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}
