import { type Clock, type JsonObject, type KeyedLock, systemClock } from '@weft/engine';
import { HttpError } from '../http/http-error.js';
import type { HttpClient } from '../http/http-types.js';
import { type OAuth2Auth, oauth2Endpoints } from './auth-scheme.js';

/**
 * Which credential: always scoped to its workspace.
 *
 * @example
 * ```ts
 * await vault.markBroken({ workspaceId: 'ws1', credentialId: 'c1' } satisfies CredentialRef, 'revoked');
 * ```
 */
export interface CredentialRef {
  workspaceId: string;
  credentialId: string;
}

/**
 * Where refreshed tokens and broken credentials are written back. The credential vault implements
 * it; any store the host prefers can too.
 *
 * @example
 * ```ts
 * const writer: CredentialWriter = vault; // CredentialVault implements it
 * ```
 */
export interface CredentialWriter {
  /** Merges `patch` into the credential's secret data. */
  updateData(ref: CredentialRef, patch: JsonObject): Promise<void>;
  /** Marks the credential unusable until a user reconnects it. */
  markBroken(ref: CredentialRef, reason: string): Promise<void>;
}

/**
 * Tokens as stored in a credential's data.
 *
 * @example
 * ```ts
 * const tokens: TokenSet = { accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 3600_000 };
 * ```
 */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms; absent when the server gave no `expires_in`. */
  expiresAt?: number;
  tokenType?: string;
  scope?: string;
  /**
   * Who connected, for display only ("Connected as …"): from the token answer's ID token claims
   * (email, preferred_username, name, sub), or a provider's own fields (Slack's team name).
   */
  account?: string;
}

/**
 * The token endpoint answered with an OAuth2 error.
 *
 * @example
 * ```ts
 * if (err instanceof OAuth2Error && err.code === 'invalid_client') showError(err.message);
 * ```
 */
export class OAuth2Error extends Error {
  constructor(
    readonly code: string,
    readonly description: string | undefined,
    readonly status: number,
  ) {
    super(`OAuth2 token endpoint returned ${code}${description ? `: ${description}` : ''} (HTTP ${status})`);
    this.name = 'OAuth2Error';
  }
}

/**
 * The credential can no longer be used (e.g. `invalid_grant`); a user must reconnect it.
 *
 * @example
 * ```ts
 * if (err instanceof CredentialBrokenError) askUserToReconnect(err.credentialId);
 * ```
 */
export class CredentialBrokenError extends Error {
  constructor(
    readonly credentialId: string,
    readonly reason: string,
  ) {
    super(`Credential ${credentialId} is broken and must be reconnected: ${reason}`);
    this.name = 'CredentialBrokenError';
  }
}

/**
 * Options of {@link OAuth2TokenManager}.
 *
 * @example
 * ```ts
 * new OAuth2TokenManager({ http: createHttpClient(), writer: vault } satisfies OAuth2TokenManagerOptions);
 * ```
 */
export interface OAuth2TokenManagerOptions {
  /** Client for the token endpoint (the safe client; allow-list local servers in tests). */
  http: HttpClient;
  writer: CredentialWriter;
  clock?: Clock;
  /**
   * For several processes: a shared lock and a way to re-read the stored credential. Under the
   * lock the manager re-reads the credential first and uses tokens another process already
   * refreshed, so a credential is refreshed once across processes (refresh tokens that rotate
   * would otherwise be spent twice, and the second refresh gets `invalid_grant`).
   */
  shared?: { lock: KeyedLock; reload(ref: CredentialRef): Promise<JsonObject> };
}

/**
 * Hands out OAuth2 access tokens: refreshes proactively before expiry and reactively after a
 * 401, under a per-credential lock so concurrent callers refresh once; `invalid_grant` marks the
 * credential broken. Also exchanges authorization codes for tokens.
 *
 * @example
 * ```ts
 * const tokens = new OAuth2TokenManager({ http, writer: vault });
 * const accessToken = await tokens.token(scheme, { workspaceId, credentialId }, credential.data);
 * ```
 */
export class OAuth2TokenManager {
  readonly #http: HttpClient;
  readonly #writer: CredentialWriter;
  readonly #clock: Clock;
  readonly #shared: OAuth2TokenManagerOptions['shared'];
  readonly #latest = new Map<string, TokenSet>();
  readonly #inflight = new Map<string, Promise<TokenSet>>();

  constructor(options: OAuth2TokenManagerOptions) {
    this.#http = options.http;
    this.#writer = options.writer;
    this.#clock = options.clock ?? systemClock;
    this.#shared = options.shared;
  }

  /** A valid access token, refreshing first when it expires within the scheme's skew. */
  async token(scheme: OAuth2Auth, ref: CredentialRef, data: JsonObject): Promise<string> {
    const current = this.#current(ref, data);
    const skew = scheme.refreshSkewMs ?? 60_000;
    if (current && (current.expiresAt === undefined || current.expiresAt - skew > this.#clock.now())) {
      return current.accessToken;
    }
    const fresh = (t: TokenSet) => t.expiresAt === undefined || t.expiresAt - skew > this.#clock.now();
    return (await this.#refreshOnce(scheme, ref, data, fresh)).accessToken;
  }

  /**
   * Refreshes after the server rejected `rejectedToken`; when another caller already replaced
   * that token, returns the newer one without another refresh.
   */
  async refreshAfterRejection(scheme: OAuth2Auth, ref: CredentialRef, data: JsonObject, rejectedToken: string) {
    const current = this.#current(ref, data);
    if (current && current.accessToken !== rejectedToken) return current;
    return this.#refreshOnce(scheme, ref, data, (t) => t.accessToken !== rejectedToken);
  }

  /** Exchanges an authorization code (with its PKCE verifier) for tokens. */
  exchangeCode(
    scheme: OAuth2Auth,
    data: JsonObject,
    grant: { code: string; redirectUri: string; codeVerifier?: string },
  ): Promise<TokenSet> {
    return this.#request(scheme, data, {
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
      ...(grant.codeVerifier ? { code_verifier: grant.codeVerifier } : {}),
    });
  }

  #key(ref: CredentialRef) {
    return `${ref.workspaceId}\u0000${ref.credentialId}`;
  }

  #current(ref: CredentialRef, data: JsonObject): TokenSet | undefined {
    const cached = this.#latest.get(this.#key(ref));
    if (cached) return cached;
    return tokensIn(data);
  }

  #refreshOnce(
    scheme: OAuth2Auth,
    ref: CredentialRef,
    data: JsonObject,
    stillGood: (t: TokenSet) => boolean,
  ): Promise<TokenSet> {
    const key = this.#key(ref);
    const running = this.#inflight.get(key);
    if (running) return running;
    const shared = this.#shared;
    const work = (
      shared
        ? shared.lock.run(`oauth2:${key}`, async () => {
            const stored = await shared.reload(ref);
            const theirs = tokensIn(stored);
            if (theirs && stillGood(theirs)) {
              this.#latest.set(key, theirs);
              return theirs;
            }
            this.#latest.delete(key);
            return this.#refresh(scheme, ref, stored);
          })
        : this.#refresh(scheme, ref, data)
    ).finally(() => this.#inflight.delete(key));
    this.#inflight.set(key, work);
    return work;
  }

  async #refresh(scheme: OAuth2Auth, ref: CredentialRef, data: JsonObject): Promise<TokenSet> {
    const current = this.#current(ref, data);
    let params: Record<string, string>;
    if (scheme.grant === 'clientCredentials') {
      const { scopes } = oauth2Endpoints(scheme, data);
      params = { grant_type: 'client_credentials', scope: scopes.join(scheme.scopeSeparator ?? ' ') };
    } else if (current?.refreshToken) {
      params = { grant_type: 'refresh_token', refresh_token: current.refreshToken };
    } else {
      const reason = current ? 'the access token expired and there is no refresh token' : 'not connected yet';
      await this.#writer.markBroken(ref, reason);
      throw new CredentialBrokenError(ref.credentialId, reason);
    }
    let tokens: TokenSet;
    try {
      tokens = await this.#request(scheme, data, params);
    } catch (err) {
      if (err instanceof OAuth2Error && err.code === 'invalid_grant') {
        const reason = `invalid_grant${err.description ? `: ${err.description}` : ''}`;
        this.#latest.delete(this.#key(ref));
        await this.#writer.markBroken(ref, reason);
        throw new CredentialBrokenError(ref.credentialId, reason);
      }
      throw err;
    }
    if (!tokens.refreshToken && current?.refreshToken) tokens.refreshToken = current.refreshToken;
    await this.#writer.updateData(ref, { ...tokens } as JsonObject);
    this.#latest.set(this.#key(ref), tokens);
    return tokens;
  }

  async #request(scheme: OAuth2Auth, data: JsonObject, params: Record<string, string>): Promise<TokenSet> {
    const clientId = String(data.clientId ?? '');
    const clientSecret = String(data.clientSecret ?? '');
    if (!clientId) throw new Error(`OAuth2 credential of type ${scheme.type} has no clientId`);
    const { tokenUrl, clientAuth } = oauth2Endpoints(scheme, data);
    const headers: Record<string, string> = { accept: 'application/json' };
    const form: Record<string, string> = { ...params };
    if (clientAuth === 'header') {
      const basic = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    } else {
      form.client_id = clientId;
      if (clientSecret) form.client_secret = clientSecret;
    }
    let body: Record<string, unknown>;
    try {
      const res = await this.#http.request<Record<string, unknown>>({
        method: 'POST',
        url: tokenUrl,
        headers,
        form,
        responseType: 'json',
        retry: false,
      });
      body = res.body ?? {};
    } catch (err) {
      if (err instanceof HttpError && err.body && typeof err.body === 'object' && 'error' in err.body) {
        const e = err.body as { error: unknown; error_description?: unknown };
        throw new OAuth2Error(
          String(e.error),
          e.error_description ? String(e.error_description) : undefined,
          err.status,
        );
      }
      throw err;
    }
    if (typeof body.error === 'string') {
      throw new OAuth2Error(body.error, body.error_description ? String(body.error_description) : undefined, 200);
    }
    if (typeof body.access_token !== 'string') {
      throw new Error(`OAuth2 token endpoint ${tokenUrl} returned no access_token`);
    }
    const expiresIn = Number(body.expires_in);
    const account = accountOf(body);
    return {
      accessToken: body.access_token,
      ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
      ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: this.#clock.now() + expiresIn * 1000 } : {}),
      ...(typeof body.token_type === 'string' ? { tokenType: body.token_type } : {}),
      ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
      ...(account ? { account } : {}),
    };
  }
}

/** Who the token answer is for, for display: ID token claims, else Slack's team name. */
function accountOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.id_token === 'string') {
    try {
      const claims = JSON.parse(Buffer.from(body.id_token.split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      for (const k of ['email', 'preferred_username', 'name', 'sub']) {
        if (typeof claims[k] === 'string' && claims[k]) return claims[k] as string;
      }
    } catch {
      // Not a JWT: nothing to show.
    }
  }
  const team = body.team as { name?: unknown } | undefined;
  return typeof team?.name === 'string' ? team.name : undefined;
}

/** The tokens stored in a credential's data, if any. */
function tokensIn(data: JsonObject): TokenSet | undefined {
  if (typeof data.accessToken !== 'string' || !data.accessToken) return undefined;
  return {
    accessToken: data.accessToken,
    ...(typeof data.refreshToken === 'string' ? { refreshToken: data.refreshToken } : {}),
    ...(typeof data.expiresAt === 'number' ? { expiresAt: data.expiresAt } : {}),
  };
}
