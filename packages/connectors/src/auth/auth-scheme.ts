import { type JsonObject, type ParameterFields, param } from '@weft/engine';
import type { HttpClient, PreparedRequest } from '../http/http-types.js';

/**
 * What a credential's `test` function receives: a client with the credential applied.
 *
 * @example
 * ```ts
 * test: async ({ http, signal }) => { await http.request({ url: 'https://api.example.com/me', signal }); }
 * ```
 */
export interface CredentialTestContext {
  http: HttpClient;
  data: JsonObject;
  signal: AbortSignal;
}

interface AuthBase<K extends string> {
  kind: K;
  /** The credential type this scheme defines, namespaced: `github.token`, `slack.oauth2`. */
  type: string;
  displayName: string;
  description?: string;
  /** The form a user fills in; fields with `secret: true` are never shown again. */
  fields: ParameterFields;
  /** Test-connection: throw (or let the HTTP call throw) when the credential does not work. */
  test?: (ctx: CredentialTestContext) => Promise<void>;
}

/**
 * No authentication.
 *
 * @example
 * ```ts
 * const scheme: NoAuth = Auth.none();
 * ```
 */
export type NoAuth = AuthBase<'none'>;
/**
 * An API key sent in a header (optionally with a prefix) or in the query string.
 *
 * @example
 * ```ts
 * const scheme: ApiKeyAuth = Auth.apiKey({ type: 'acme.key', displayName: 'Acme key', in: 'query', name: 'api_key' });
 * ```
 */
export interface ApiKeyAuth extends AuthBase<'apiKey'> {
  in: 'header' | 'query';
  /** Header or query parameter name. */
  name: string;
  /** Prepended to the key in a header, e.g. `Token `. */
  prefix?: string;
}
/**
 * HTTP basic authentication from `username` and `password`.
 *
 * @example
 * ```ts
 * const scheme: BasicAuth = Auth.basic({ type: 'acme.basic', displayName: 'Acme login' });
 * ```
 */
export type BasicAuth = AuthBase<'basic'>;
/**
 * `Authorization: Bearer <token>`.
 *
 * @example
 * ```ts
 * const scheme: BearerAuth = Auth.bearer({ type: 'acme.token', displayName: 'Acme token' });
 * ```
 */
export type BearerAuth = AuthBase<'bearer'>;
/**
 * OAuth2 with the authorization-code (PKCE) or client-credentials grant.
 *
 * @example
 * ```ts
 * const scheme: OAuth2Auth = Auth.oauth2({ type: 'acme.m2m', displayName: 'Acme M2M', grant: 'clientCredentials', tokenUrl: 'https://acme.example/token', scopes: ['read'] });
 * ```
 */
export interface OAuth2Auth extends AuthBase<'oauth2'> {
  grant: 'authorizationCode' | 'clientCredentials';
  authorizationUrl?: string;
  tokenUrl: string;
  scopes: readonly string[];
  /** Default true for the authorization-code grant. */
  pkce?: boolean;
  /** How the client authenticates at the token endpoint. Default `header` (basic). */
  clientAuth?: 'header' | 'body';
  /** Refresh this long before expiry. Default 60 s. */
  refreshSkewMs?: number;
  /** Extra query parameters for the authorization URL (e.g. `access_type: 'offline'`). */
  authorizationParams?: Record<string, string>;
  /** Separator between scopes. Default space. */
  scopeSeparator?: string;
  /**
   * The credential names the provider (a generic "OAuth2 API" credential): the authorization and
   * token URLs, scopes and client authentication are read from its fields `authorizationUrl`,
   * `tokenUrl`, `scope` and `clientAuth` instead of this scheme (see {@link oauth2Endpoints}).
   */
  endpointsFromCredential?: boolean;
}

/**
 * Where an OAuth2 credential authorizes and gets tokens: from the scheme, or from the
 * credential's own fields when the scheme has `endpointsFromCredential`.
 *
 * @example
 * ```ts
 * const { tokenUrl, scopes } = oauth2Endpoints(scheme, credential.data);
 * ```
 */
export function oauth2Endpoints(
  scheme: OAuth2Auth,
  data: JsonObject,
): { authorizationUrl?: string; tokenUrl: string; scopes: readonly string[]; clientAuth: 'header' | 'body' } {
  const fixed = {
    ...(scheme.authorizationUrl ? { authorizationUrl: scheme.authorizationUrl } : {}),
    tokenUrl: scheme.tokenUrl,
    scopes: scheme.scopes,
    clientAuth: scheme.clientAuth ?? ('header' as const),
  };
  if (!scheme.endpointsFromCredential) return fixed;
  const text = (k: string) => (typeof data[k] === 'string' ? (data[k] as string).trim() : '');
  const sep = scheme.scopeSeparator ?? ' ';
  return {
    ...(text('authorizationUrl') ? { authorizationUrl: text('authorizationUrl') } : {}),
    tokenUrl: text('tokenUrl') || scheme.tokenUrl,
    scopes: text('scope')
      ? text('scope')
          .split(sep === ' ' ? /[\s,]+/ : sep)
          .filter(Boolean)
      : scheme.scopes,
    clientAuth: text('clientAuth') === 'body' ? 'body' : text('clientAuth') === 'header' ? 'header' : fixed.clientAuth,
  };
}
/**
 * Anything else: a function that signs each request (HMAC signatures, custom headers).
 *
 * @example
 * ```ts
 * const scheme: CustomAuth = Auth.custom({ type: 'acme.sig', displayName: 'Signed', fields: {}, sign: (r, d) => r.headers.set('x-key', String(d.key)) });
 * ```
 */
export interface CustomAuth extends AuthBase<'custom'> {
  sign(request: PreparedRequest, data: JsonObject): void | Promise<void>;
}

/**
 * Every auth scheme.
 *
 * @example
 * ```ts
 * const schemes: AuthScheme[] = [Auth.none(), Auth.bearer({ type: 'acme.token', displayName: 'Token' })];
 * ```
 */
export type AuthScheme = NoAuth | ApiKeyAuth | BasicAuth | BearerAuth | OAuth2Auth | CustomAuth;

type Common = { type: string; displayName: string; description?: string; test?: AuthBase<'none'>['test'] };

const secret = (label: string) => param.string({ label, required: true, secret: true, expressions: false });
const text = (label: string) => param.string({ label, required: true, expressions: false });

/**
 * Builders for auth schemes; each one options object, each returning plain data plus functions.
 *
 * @example
 * ```ts
 * const token = Auth.apiKey({ type: 'acme.apiKey', displayName: 'Acme API key', in: 'header', name: 'X-Api-Key' });
 * const oauth = Auth.oauth2({
 *   type: 'acme.oauth2', displayName: 'Acme OAuth2', grant: 'authorizationCode',
 *   authorizationUrl: 'https://acme.example/oauth/authorize', tokenUrl: 'https://acme.example/oauth/token', scopes: ['read'],
 * });
 * ```
 */
export const Auth = {
  none: (o: Partial<Common> = {}): NoAuth => ({
    kind: 'none',
    type: o.type ?? 'none',
    displayName: o.displayName ?? 'No authentication',
    fields: {},
    ...(o.test ? { test: o.test } : {}),
  }),
  apiKey: (
    o: Common & { in: 'header' | 'query'; name: string; prefix?: string; fields?: ParameterFields },
  ): ApiKeyAuth => ({
    kind: 'apiKey',
    ...o,
    fields: { apiKey: secret('API key'), ...o.fields },
  }),
  basic: (o: Common & { fields?: ParameterFields }): BasicAuth => ({
    kind: 'basic',
    ...o,
    fields: { username: text('Username'), password: secret('Password'), ...o.fields },
  }),
  bearer: (o: Common & { fields?: ParameterFields }): BearerAuth => ({
    kind: 'bearer',
    ...o,
    fields: { token: secret('Token'), ...o.fields },
  }),
  oauth2: (
    o: Common & Omit<OAuth2Auth, 'kind' | 'fields' | keyof Common> & { fields?: ParameterFields },
  ): OAuth2Auth => {
    if (o.grant === 'authorizationCode' && !o.authorizationUrl && !o.endpointsFromCredential) {
      throw new Error(`Auth scheme "${o.type}": the authorizationCode grant needs an authorizationUrl`);
    }
    const client = { clientId: text('Client ID'), clientSecret: secret('Client secret') };
    // A generic provider's form asks where it is first, as OAuth2 app settings list it.
    const { authorizationUrl, tokenUrl, ...rest } = o.fields ?? {};
    const endpoints = { ...(authorizationUrl ? { authorizationUrl } : {}), ...(tokenUrl ? { tokenUrl } : {}) };
    return { kind: 'oauth2', ...o, fields: { ...endpoints, ...client, ...rest } };
  },
  custom: (o: Common & { fields: ParameterFields; sign: CustomAuth['sign'] }): CustomAuth => ({ kind: 'custom', ...o }),
};

/**
 * The names of the fields of `scheme` that hold secrets (plus OAuth2 tokens).
 *
 * @example
 * ```ts
 * secretFieldsOf(Auth.basic({ type: 'b', displayName: 'B' })); // ['password']
 * ```
 */
export function secretFieldsOf(scheme: AuthScheme): string[] {
  const names = Object.entries(scheme.fields)
    .filter(([, spec]) => spec.kind === 'string' && spec.secret)
    .map(([name]) => name);
  if (scheme.kind === 'oauth2') names.push('accessToken', 'refreshToken');
  return names;
}

/**
 * Every secret string a credential puts on the wire: the values of its secret fields (and OAuth2
 * tokens), plus the derived forms a signer sends — basic auth's `username:password` pair (whose
 * base64 is what the `Authorization` header carries) and an OAuth2 client's `id:secret` pair. What
 * the vault and the connector kit feed a `Redactor`.
 *
 * @example
 * ```ts
 * secretValuesOf(Auth.basic({ type: 'b', displayName: 'B' }), { username: 'ada', password: 'pw-1234' }); // ['pw-1234', 'ada:pw-1234']
 * ```
 */
export function secretValuesOf(scheme: AuthScheme, data: JsonObject): string[] {
  const out: string[] = [];
  for (const name of secretFieldsOf(scheme)) {
    const v = data[name];
    if (typeof v === 'string' && v !== '') out.push(v);
  }
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : '');
  if (scheme.kind === 'basic' && str('password')) out.push(`${str('username')}:${str('password')}`);
  if (scheme.kind === 'oauth2' && str('clientSecret')) {
    out.push(`${encodeURIComponent(str('clientId'))}:${encodeURIComponent(str('clientSecret'))}`);
  }
  return out;
}
