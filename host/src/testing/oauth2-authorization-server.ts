import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link startOAuth2AuthorizationServer}. */
export interface OAuth2AuthorizationServerOptions {
  clientId: string;
  clientSecret: string;
  /** The redirect URI the client registered (exact match, as providers require); or later with `register`. */
  redirectUri?: string;
  /** Who signs in: put into the ID token's `email` claim. */
  email?: string;
  /** Seconds the access tokens live. Default 3600. */
  expiresIn?: number;
}

/** A running {@link startOAuth2AuthorizationServer}. */
export interface OAuth2AuthorizationServer {
  url: string;
  authorizationUrl: string;
  tokenUrl: string;
  /** Tokens issued and still valid. */
  accessTokens: Set<string>;
  /** Token requests refused, with the reason (`invalid_client`, `invalid_grant: PKCE ...`). */
  refusals: string[];
  /** The authorization requests the server saw (query parameters). */
  authorizations: Record<string, string>[];
  /** Registers the client's redirect URI (replacing the last one). */
  register(redirectUri: string): void;
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};
const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
const escapeText = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A small OAuth2 authorization server on 127.0.0.1 for tests, strict where real providers are:
 * `GET /authorize` checks the client id, the registered redirect URI and that a PKCE S256
 * challenge is sent, then shows a consent page; "Allow" (`POST /authorize`) redirects back with a
 * code (or `error=access_denied`). `POST /token` authenticates the client (basic header or body),
 * checks the code's client and redirect URI and the PKCE verifier against the challenge, and
 * issues an access token, a rotating refresh token and an ID token with the user's email.
 * `GET /userinfo` answers only a valid bearer token.
 *
 * @example
 * ```ts
 * const auth = await startOAuth2AuthorizationServer({ clientId: 'c', clientSecret: 's', redirectUri });
 * // create an http.oauth2 credential with auth.authorizationUrl and auth.tokenUrl, then Connect
 * await auth.close();
 * ```
 */
export async function startOAuth2AuthorizationServer(
  options: OAuth2AuthorizationServerOptions,
): Promise<OAuth2AuthorizationServer> {
  const codes = new Map<string, PendingCode>();
  const requests = new Map<string, Record<string, string>>();
  const refreshTokens = new Set<string>();
  const accessTokens = new Set<string>();
  const refusals: string[] = [];
  const authorizations: Record<string, string>[] = [];
  const email = options.email ?? 'ada@example.com';
  let redirectUri = options.redirectUri;

  const authorize = (url: URL, res: ServerResponse) => {
    const q = Object.fromEntries(url.searchParams);
    authorizations.push(q);
    const problem =
      q.client_id !== options.clientId
        ? 'unknown client_id'
        : !redirectUri || q.redirect_uri !== redirectUri
          ? `redirect_uri ${q.redirect_uri} is not registered`
          : q.response_type !== 'code'
            ? 'response_type must be code'
            : !q.code_challenge || q.code_challenge_method !== 'S256'
              ? 'a PKCE S256 code_challenge is required'
              : !q.state
                ? 'state is required'
                : undefined;
    if (problem) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return res.end(`Authorization refused: ${problem}`);
    }
    const id = b64url(randomBytes(12));
    requests.set(id, q);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Test provider: authorize</title>
<h1>Allow access?</h1><p>The app asks for: ${escapeText(q.scope ?? '')}</p>
<form method="post" action="/authorize"><input type="hidden" name="request" value="${id}">
<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Deny</button></form>`);
  };

  const decide = (form: URLSearchParams, res: ServerResponse) => {
    const q = requests.get(form.get('request') ?? '');
    if (!q) return json(res, 400, { error: 'invalid_request' });
    requests.delete(form.get('request') ?? '');
    const back = new URL(q.redirect_uri as string);
    back.searchParams.set('state', q.state as string);
    if (form.get('decision') === 'allow') {
      const code = b64url(randomBytes(16));
      codes.set(code, {
        clientId: q.client_id as string,
        redirectUri: q.redirect_uri as string,
        challenge: q.code_challenge as string,
        scope: q.scope ?? '',
      });
      back.searchParams.set('code', code);
    } else back.searchParams.set('error', 'access_denied');
    res.writeHead(302, { location: back.href });
    res.end();
  };

  const token = (req: IncomingMessage, form: URLSearchParams, res: ServerResponse) => {
    const refuse = (status: number, error: string, description: string) => {
      refusals.push(`${error}: ${description}`);
      json(res, status, { error, error_description: description });
    };
    const basic = (req.headers.authorization ?? '').match(/^Basic (.+)$/)?.[1];
    const [id, secret] = basic
      ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
      : [form.get('client_id'), form.get('client_secret')];
    if (id !== options.clientId || secret !== options.clientSecret)
      return refuse(401, 'invalid_client', 'client authentication failed');
    const issue = (scope: string) => {
      const access = `at-${b64url(randomBytes(12))}`;
      const refresh = `rt-${b64url(randomBytes(12))}`;
      accessTokens.add(access);
      refreshTokens.add(refresh);
      const idToken = [b64url('{"alg":"none"}'), b64url(JSON.stringify({ sub: 'user-1', email })), ''].join('.');
      json(res, 200, {
        access_token: access,
        token_type: 'Bearer',
        expires_in: options.expiresIn ?? 3600,
        refresh_token: refresh,
        scope,
        id_token: idToken,
      });
    };
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!code) return refuse(400, 'invalid_grant', 'unknown or used code');
      if (code.clientId !== id) return refuse(400, 'invalid_grant', 'code issued to another client');
      if (code.redirectUri !== form.get('redirect_uri')) return refuse(400, 'invalid_grant', 'redirect_uri differs');
      const verifier = form.get('code_verifier') ?? '';
      if (b64url(createHash('sha256').update(verifier).digest()) !== code.challenge)
        return refuse(400, 'invalid_grant', 'PKCE verifier does not match the challenge');
      return issue(code.scope);
    }
    if (grant === 'refresh_token') {
      if (!refreshTokens.delete(form.get('refresh_token') ?? '')) return refuse(400, 'invalid_grant', 'refresh token');
      return issue('');
    }
    refuse(400, 'unsupported_grant_type', String(grant));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    if (url.pathname === '/authorize' && req.method === 'GET') return authorize(url, res);
    if (url.pathname === '/authorize' && req.method === 'POST') return decide(new URLSearchParams(body), res);
    if (url.pathname === '/token' && req.method === 'POST') return token(req, new URLSearchParams(body), res);
    if (url.pathname === '/userinfo') {
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!accessTokens.has(bearer)) return json(res, 401, { error: 'invalid_token' });
      return json(res, 200, { sub: 'user-1', email });
    }
    json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    accessTokens,
    refusals,
    authorizations,
    register: (uri) => {
      redirectUri = uri;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
