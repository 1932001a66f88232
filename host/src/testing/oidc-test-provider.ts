import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/** Someone who can sign in at the {@link startOidcTestProvider}: their login is their email. */
export interface OidcTestAccount {
  name?: string;
  groups?: string[];
  /** Default true. */
  emailVerified?: boolean;
}

/** A running {@link startOidcTestProvider}. */
export interface OidcTestProvider {
  /** The issuer URL (`http://127.0.0.1:<port>`), also the discovery base. */
  issuer: string;
  /** Errors the provider reported (bad client, PKCE, grant), for assertions and debugging. */
  errors: string[];
  /**
   * Plays the user's browser at the provider over HTTP: follows the authorization URL's redirects
   * by hand, submits the login form as `login` and the consent form, and resolves with the URL
   * the provider finally redirects to (the client's redirect URI with `code`, `state`, `iss`).
   */
  authorize(authorizationUrl: string, login: string): Promise<URL>;
  close(): Promise<void>;
}

/**
 * Starts a real OpenID Connect provider (`oidc-provider`, the certified implementation) on a
 * loopback port, with one confidential client, RS256-signed ID tokens and its development
 * login/consent pages: any login name is accepted and becomes the subject and email. Loopback
 * redirect URIs (`http://127.0.0.1/signin`) match whatever port the client listens on. Claims: `email`
 * (+ `email_verified`), `profile` (`name`) and a `groups` scope, served from the userinfo endpoint
 * as the specification has it (ID tokens only carry the claims asked for by name).
 *
 * @example
 * ```ts
 * const idp = await startOidcTestProvider({ clientId: 'weft', clientSecret: 's3cret', redirectUris: ['http://127.0.0.1:3000/signin'] });
 * // WEFT_OIDC_ISSUER=idp.issuer WEFT_OIDC_CLIENT_ID=weft WEFT_OIDC_CLIENT_SECRET=s3cret
 * await idp.close();
 * ```
 */
export async function startOidcTestProvider(options: {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  accounts?: Record<string, OidcTestAccount>;
}): Promise<OidcTestProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-key' };
  const accounts = options.accounts ?? {};
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        // Loopback redirect URIs then match on any port (RFC 8252), for clients whose port is picked at start.
        ...(options.redirectUris.every((u) => /^http:\/\/(127\.0\.0\.1|localhost)[/:]/.test(u))
          ? { application_type: 'native' }
          : {}),
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['weft-oidc-test-provider-cookie-key'] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    features: { devInteractions: { enabled: true } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    async findAccount(_ctx: unknown, id: string) {
      const a = accounts[id] ?? {};
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          email: id,
          email_verified: a.emailVerified ?? true,
          ...(a.name ? { name: a.name } : {}),
          groups: a.groups ?? [],
        }),
      };
    },
  });
  const errors: string[] = [];
  for (const event of ['server_error', 'grant.error', 'authorization.error', 'userinfo.error']) {
    provider.on(event, (_ctx, err) => errors.push(`${event}: ${(err as Error).message}`));
  }
  server.on('request', provider.callback());
  return {
    issuer,
    errors,
    authorize: (url, login) => browse(issuer, url, login),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function browse(issuer: string, start: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = start;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.origin !== issuer) return next;
      url = next.href;
      init = {};
      continue;
    }
    const page = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="([a-z]+)"/.exec(page)?.[1];
    if (res.status !== 200 || !action || !prompt)
      throw new Error(`provider answered ${res.status}: ${page.slice(0, 300)}`);
    const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
    url = new URL(action.replace(/&amp;/g, '&'), url).href;
    init = { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('the provider kept redirecting');
}
