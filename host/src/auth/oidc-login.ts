import { createHash, randomBytes } from 'node:crypto';
import type { HostDb } from '@weft/sql';
import * as oidc from 'openid-client';
import type { OidcLoginSettings } from './oidc-settings.js';
import { SsoStore } from './sso-store.js';

/** Minutes a started login may take at the provider. */
const PENDING_MS = 10 * 60_000;

/** What the provider vouched for after a completed login. */
export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string;
  /** `email_verified` from the provider (absent means it did not say). */
  emailVerified: boolean | undefined;
  name?: string;
  groups: string[];
  /** The app path the login started from. */
  returnTo: string;
}

/** Why a login could not complete; `code` becomes the problem code. */
export class SsoLoginError extends Error {
  override readonly name = 'SsoLoginError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * OpenID Connect authorization code + PKCE login with openid-client: discovery (once, retried
 * after a failure), state and nonce, and the ID token's signature checked against the provider's
 * JWKS. A started login is stored with the hash of a random browser secret; only the browser
 * holding that secret (an HttpOnly cookie) can complete it, once, within ten minutes.
 *
 * @example
 * ```ts
 * const login = new OidcLogin(settings, runtime.h);
 * const { url, browserSecret } = await login.start('/workflows');
 * // ... the provider redirects back with ?code=&state=
 * const who = await login.complete({ code, state }, browserSecret);
 * ```
 */
export class OidcLogin {
  readonly store: SsoStore;
  #config: Promise<oidc.Configuration> | undefined;

  constructor(
    readonly settings: OidcLoginSettings,
    h: HostDb,
  ) {
    this.store = new SsoStore(h);
  }

  /** The discovered provider configuration. */
  configuration(): Promise<oidc.Configuration> {
    this.#config ??= this.#discover().catch((e) => {
      this.#config = undefined;
      throw new SsoLoginError(
        502,
        'sso-provider-unreachable',
        `The identity provider at ${this.settings.issuer} did not answer discovery: ${(e as Error).message}`,
      );
    });
    return this.#config;
  }

  async #discover(): Promise<oidc.Configuration> {
    const s = this.settings;
    const issuer = new URL(s.issuer);
    // Plain http only for a provider on this machine (tests, local development).
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
    const config = await oidc.discovery(
      issuer,
      s.clientId,
      undefined,
      // client_secret_basic: the OpenID Connect default, which every provider issuing secrets accepts.
      s.clientSecret ? oidc.ClientSecretBasic(s.clientSecret) : oidc.None(),
      { ...(loopback && issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}), timeout: 10 },
    );
    oidc.enableNonRepudiationChecks(config);
    return config;
  }

  /** Starts a login: the provider URL to send the browser to, and the secret to give it as a cookie. */
  async start(returnTo: string): Promise<{ url: string; browserSecret: string }> {
    const config = await this.configuration();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const browserSecret = randomBytes(32).toString('base64url');
    await this.store.savePending(
      sha256(state),
      { browserHash: sha256(browserSecret), nonce, codeVerifier, returnTo },
      PENDING_MS,
    );
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, browserSecret };
  }

  /**
   * Completes a login with the provider's redirect parameters: checks the state belongs to this
   * browser, redeems the code (PKCE), verifies the ID token (signature, issuer, audience, expiry,
   * nonce) and reads email, name and groups (from the userinfo endpoint when the ID token lacks
   * them).
   */
  async complete(
    params: { code: string; state: string; iss?: string },
    browserSecret: string | undefined,
  ): Promise<SsoIdentity> {
    const config = await this.configuration();
    const pending = await this.store.takePending(sha256(params.state));
    if (!pending)
      throw new SsoLoginError(
        400,
        'sso-state-unknown',
        'This sign-in attempt is unknown, used or expired; start again',
      );
    if (!browserSecret || sha256(browserSecret) !== pending.browserHash)
      throw new SsoLoginError(
        400,
        'sso-state-mismatch',
        'This sign-in was started in another browser (or its cookie is gone); start again here',
      );
    const current = new URL(this.settings.redirectUri);
    current.searchParams.set('code', params.code);
    current.searchParams.set('state', params.state);
    if (params.iss) current.searchParams.set('iss', params.iss);
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: params.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const id = tokens.claims();
      if (!id) throw new Error('the token response has no ID token');
      claims = { ...id };
      const groups = this.settings.groupsClaim;
      if ((claims.email === undefined || claims[groups] === undefined) && config.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, id.sub);
        claims = { ...info, ...claims };
      }
    } catch (e) {
      throw new SsoLoginError(401, 'sso-failed', `The identity provider's answer was refused: ${(e as Error).message}`);
    }
    if (typeof claims.email !== 'string' || !claims.email.includes('@'))
      throw new SsoLoginError(403, 'sso-no-email', 'The identity provider did not share an email address');
    const rawGroups = claims[this.settings.groupsClaim];
    const groups = Array.isArray(rawGroups)
      ? rawGroups.filter((g): g is string => typeof g === 'string')
      : typeof rawGroups === 'string'
        ? [rawGroups]
        : [];
    return {
      issuer: this.settings.issuer,
      subject: String(claims.sub),
      email: claims.email.toLowerCase(),
      emailVerified: typeof claims.email_verified === 'boolean' ? claims.email_verified : undefined,
      ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
      groups,
      returnTo: pending.returnTo,
    };
  }
}
