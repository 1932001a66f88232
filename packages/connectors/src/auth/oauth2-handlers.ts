import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Clock, type CredentialResolver, systemClock } from '@weft/engine';
import { type OAuth2Auth, oauth2Endpoints } from './auth-scheme.js';
import type { CredentialRef, CredentialWriter, OAuth2TokenManager } from './oauth2-token-manager.js';

/**
 * A pending authorization kept server-side until the callback: the PKCE verifier never leaves.
 *
 * @example
 * ```ts
 * await states.put(state, { workspaceId: 'ws1', credentialId: 'c1', credentialType: 'slack.oauth2', codeVerifier, expiresAt: Date.now() + 600_000 });
 * ```
 */
export interface PendingAuthorization {
  workspaceId: string;
  credentialId: string;
  credentialType: string;
  codeVerifier?: string;
  expiresAt: number;
  /** Who started it (for the record; the host checks the workspace role when it starts). */
  userId?: string;
  /** SHA-256 (base64url) of the browser binding secret the callback must bring back. */
  bindingHash?: string;
}

/**
 * How a callback ended, for the page the user sees in the popup.
 *
 * @example
 * ```ts
 * const page = (o: OAuth2Outcome) => ({ status: o.status, headers: { 'content-type': 'text/plain' }, body: o.message });
 * ```
 */
export interface OAuth2Outcome {
  ok: boolean;
  status: number;
  message: string;
  /** The credential, once the state was recognised. */
  ref?: CredentialRef;
  account?: string;
  expiresAt?: number;
}

/**
 * Where pending authorizations wait for their callback (memory here; Redis or SQL for several
 * processes). `take` must return a state at most once.
 *
 * @example
 * ```ts
 * const states: OAuth2StateStore = new MemoryOAuth2StateStore();
 * ```
 */
export interface OAuth2StateStore {
  put(state: string, pending: PendingAuthorization): Promise<void>;
  take(state: string): Promise<PendingAuthorization | undefined>;
}

/**
 * In-memory {@link OAuth2StateStore}.
 *
 * @example
 * ```ts
 * createOAuth2Handlers({ ...options, states: new MemoryOAuth2StateStore() });
 * ```
 */
export class MemoryOAuth2StateStore implements OAuth2StateStore {
  readonly #map = new Map<string, PendingAuthorization>();
  async put(state: string, pending: PendingAuthorization): Promise<void> {
    this.#map.set(state, pending);
  }
  async take(state: string): Promise<PendingAuthorization | undefined> {
    const p = this.#map.get(state);
    this.#map.delete(state);
    return p;
  }
}

/**
 * A framework-neutral HTTP response for the host to send.
 *
 * @example
 * ```ts
 * const r: HandlerResponse = await oauth.callback(query);
 * res.status(r.status).set(r.headers).send(r.body);
 * ```
 */
export interface HandlerResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Options of {@link createOAuth2Handlers}.
 *
 * @example
 * ```ts
 * const options: OAuth2HandlersOptions = { schemes, credentials: vault, writer: vault, tokens, redirectUri: 'https://weft.example/oauth2/callback', stateSecret };
 * ```
 */
export interface OAuth2HandlersOptions {
  /** OAuth2 schemes by credential type. */
  schemes: readonly OAuth2Auth[];
  /** Reads the credential's client id and secret. */
  credentials: CredentialResolver;
  /** Where tokens are written after the callback. */
  writer: CredentialWriter;
  tokens: OAuth2TokenManager;
  /** The callback URL registered with the provider. */
  redirectUri: string;
  /** HMAC key that signs `state` (32+ random bytes). */
  stateSecret: string | Uint8Array;
  states?: OAuth2StateStore;
  /** How long a user has to complete the dance. Default 10 minutes. */
  stateTtlMs?: number;
  clock?: Clock;
  /** Renders the callback's answer (default: a short text or HTML page). */
  page?: (outcome: OAuth2Outcome) => HandlerResponse;
}

const b64url = (b: Buffer) => b.toString('base64url');
const hash = (v: string) => b64url(createHash('sha256').update(v).digest());

/**
 * The credential a `state` from {@link createOAuth2Handlers} belongs to (it is part of the signed
 * state, so a state store shared by several processes can find its pending authorization).
 * Check the signature first: the callback does before it asks its store.
 *
 * @example
 * ```ts
 * const ref = oauth2StateRef(state); // { workspaceId: 'ws1', credentialId: 'c1' }
 * ```
 */
export function oauth2StateRef(state: string): CredentialRef | undefined {
  const [ws, cred] = (state.split('.')[0] ?? '').split('~');
  if (!ws || !cred) return undefined;
  return {
    workspaceId: Buffer.from(ws, 'base64url').toString(),
    credentialId: Buffer.from(cred, 'base64url').toString(),
  };
}

function defaultPage(o: OAuth2Outcome): HandlerResponse {
  return o.ok
    ? {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<!doctype html><title>Connected</title><p>Connected. You can close this window.</p>',
      }
    : { status: o.status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: o.message };
}

/**
 * The OAuth2 authorization-code dance as two framework-neutral handlers. `authorize` answers a
 * redirect to the provider with a signed, stored `state` and a PKCE challenge; `callback` checks
 * the state (signature, expiry, single use), exchanges the code with the server-side verifier and
 * stores the tokens in the credential.
 *
 * @example
 * ```ts
 * const oauth = createOAuth2Handlers({ schemes, credentials: vault, writer: vault, tokens, redirectUri, stateSecret });
 * app.get('/oauth2/authorize', async (req, res) => send(res, await oauth.authorize({ workspaceId: req.workspace, credentialId: req.query.credentialId })));
 * app.get('/oauth2/callback', async (req, res) => send(res, await oauth.callback(req.query)));
 * ```
 */
export function createOAuth2Handlers(options: OAuth2HandlersOptions) {
  const clock = options.clock ?? systemClock;
  const states = options.states ?? new MemoryOAuth2StateStore();
  const ttl = options.stateTtlMs ?? 10 * 60_000;
  const sign = (nonce: string) => b64url(createHmac('sha256', options.stateSecret).update(nonce).digest());
  const schemeFor = (type: string) => {
    const s = options.schemes.find((x) => x.type === type);
    if (s?.grant !== 'authorizationCode') {
      throw new Error(`Credential type "${type}" has no OAuth2 authorization-code scheme among the configured ones`);
    }
    return s;
  };
  const fail = (status: number, message: string, ref?: CredentialRef): OAuth2Outcome => ({
    ok: false,
    status,
    message,
    ...(ref ? { ref } : {}),
  });

  async function finish(
    query: Record<string, string | undefined>,
    binding: string | undefined,
  ): Promise<OAuth2Outcome> {
    const state = query.state ?? '';
    const [nonce = '', signature = ''] = state.split('.');
    const expected = Buffer.from(sign(nonce));
    const given = Buffer.from(signature);
    if (!nonce || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return fail(400, 'OAuth2 callback: the state parameter is missing or its signature is invalid');
    }
    const pending = await states.take(state);
    if (!pending) return fail(400, 'OAuth2 callback: this state was already used or is unknown');
    const ref = { workspaceId: pending.workspaceId, credentialId: pending.credentialId };
    if (pending.expiresAt < clock.now()) return fail(400, 'OAuth2 callback: the authorization request expired', ref);
    if (pending.bindingHash && (!binding || hash(binding) !== pending.bindingHash)) {
      return fail(400, 'OAuth2 callback: this browser did not start the authorization; press Connect again', ref);
    }
    if (query.error) {
      const why = query.error_description ? ` (${query.error_description})` : '';
      return fail(400, `OAuth2 provider refused: ${query.error}${why}`, ref);
    }
    if (!query.code) return fail(400, 'OAuth2 callback: the code parameter is missing', ref);
    try {
      const credential = await options.credentials.resolve({ ...ref, nodeType: 'oauth2.callback' });
      const scheme = schemeFor(pending.credentialType);
      const tokens = await options.tokens.exchangeCode(scheme, credential.data, {
        code: query.code,
        redirectUri: options.redirectUri,
        ...(pending.codeVerifier ? { codeVerifier: pending.codeVerifier } : {}),
      });
      await options.writer.updateData(ref, { ...tokens });
      return {
        ok: true,
        status: 200,
        message: tokens.account ? `Connected as ${tokens.account}` : 'Connected',
        ref,
        ...(tokens.account ? { account: tokens.account } : {}),
        ...(tokens.expiresAt ? { expiresAt: tokens.expiresAt } : {}),
      };
    } catch (err) {
      return fail(502, `OAuth2 token exchange failed: ${(err as Error).message}`, ref);
    }
  }

  return {
    /**
     * Starts the dance: a 302 to the provider's authorization URL. With `binding` (a random
     * secret the host also gives the browser, e.g. in a cookie) the callback must bring the same
     * secret back, so a state only completes in the browser that started it.
     */
    async authorize(request: {
      workspaceId: string;
      credentialId: string;
      userId?: string;
      binding?: string;
    }): Promise<HandlerResponse> {
      const { workspaceId, credentialId } = request;
      const credential = await options.credentials.resolve({ workspaceId, credentialId, nodeType: 'oauth2.authorize' });
      const scheme = schemeFor(credential.type);
      const endpoints = oauth2Endpoints(scheme, credential.data);
      if (!endpoints.authorizationUrl) {
        throw new Error(`Credential ${credentialId} (type ${credential.type}) has no authorization URL`);
      }
      const nonce = [b64url(Buffer.from(workspaceId)), b64url(Buffer.from(credentialId)), b64url(randomBytes(24))].join(
        '~',
      );
      const state = `${nonce}.${sign(nonce)}`;
      const usePkce = scheme.pkce !== false;
      const codeVerifier = usePkce ? b64url(randomBytes(32)) : undefined;
      await states.put(state, {
        workspaceId,
        credentialId,
        credentialType: credential.type,
        ...(codeVerifier ? { codeVerifier } : {}),
        expiresAt: clock.now() + ttl,
        ...(request.userId ? { userId: request.userId } : {}),
        ...(request.binding ? { bindingHash: hash(request.binding) } : {}),
      });
      const url = new URL(endpoints.authorizationUrl);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', String(credential.data.clientId ?? ''));
      url.searchParams.set('redirect_uri', options.redirectUri);
      url.searchParams.set('scope', endpoints.scopes.join(scheme.scopeSeparator ?? ' '));
      url.searchParams.set('state', state);
      if (codeVerifier) {
        url.searchParams.set('code_challenge', b64url(createHash('sha256').update(codeVerifier).digest()));
        url.searchParams.set('code_challenge_method', 'S256');
      }
      for (const [k, v] of Object.entries(scheme.authorizationParams ?? {})) url.searchParams.set(k, v);
      return { status: 302, headers: { location: url.href }, body: '' };
    },

    /**
     * Finishes the dance with the provider's redirect query (`code`, `state` or `error`);
     * `binding` is the secret the browser brought back when `authorize` was given one.
     */
    async callback(query: Record<string, string | undefined>, context: { binding?: string } = {}) {
      const outcome = await finish(query, context.binding);
      return (options.page ?? defaultPage)(outcome);
    },
  };
}
