import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { OAuth2Outcome } from '@weft/connectors';
import type { Request } from 'express';
import { assertConnectorAllowed } from '../auth/connector-allow-list.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { buildOAuth2Connect, type OAuth2Connect, oauth2ResultPage } from '../runtime/oauth2-connect.js';

const CredentialParams = Type.Object({ workspaceId: IdString, credentialId: IdString });
const QueryText = Type.Optional(Type.String({ maxLength: 4096 }));

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * OAuth2 "Connect" (authorization code with PKCE): `POST .../credentials/:id/oauth2/authorize`
 * answers the provider's authorization URL with a signed state (kept server-side in the
 * credential, bound to the caller and, through an HttpOnly cookie, to their browser, for 10
 * minutes) and the S256 challenge; `GET /oauth2/callback` is where the provider sends the browser
 * back: it checks the state, exchanges the code with the verifier and stores the tokens in the
 * vault. Browsers get a page that tells the web app and closes the popup; other callers get JSON
 * (problem+json on failure).
 *
 * @example
 * ```ts
 * mountRoutes(router, oauth2Routes(runtime), runtime);
 * ```
 */
export function oauth2Routes(rt: HostRuntime): AnyRoute[] {
  let built: OAuth2Connect | undefined;
  const connect = () => {
    built ??= buildOAuth2Connect(rt.config, rt.vault, rt.oauth2, rt.locks.keyed);
    return built;
  };
  return [
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/credentials/:credentialId/oauth2/authorize',
      summary: 'Start OAuth2 Connect: the authorization URL (state + PKCE S256 challenge) to open in a popup',
      tag: 'credentials',
      scope: 'credentials',
      auth: 'write',
      params: CredentialParams,
      handler: async ({ req, res, params, principal }) => {
        const { workspaceId, credentialId } = params;
        const info = await rt.vault.get(workspaceId, credentialId);
        if (!info) throw new ProblemError(404, 'credential-not-found', `Credential "${credentialId}" not found`);
        assertConnectorAllowed(principal, info.type);
        const c = connect();
        if (!c.connectable(info.type)) {
          throw new ProblemError(
            400,
            'not-oauth2-connectable',
            `Credential type ${info.type} does not connect through OAuth2 in the browser`,
          );
        }
        const binding = randomBytes(24).toString('base64url');
        let location: string;
        try {
          const start = await c.handlers.authorize({ workspaceId, credentialId, userId: principal.userId, binding });
          location = start.headers.location as string;
        } catch (e) {
          const message = (e as Error).message;
          throw new ProblemError(422, 'invalid-credential-data', message, {
            errors: [{ in: 'body', path: '/data/authorizationUrl', message }],
          });
        }
        const state = new URL(location).searchParams.get('state') as string;
        res.cookie(c.cookieName(state), binding, {
          httpOnly: true,
          sameSite: 'lax',
          secure: c.secureCookie,
          maxAge: c.stateTtlMs,
          path: `${req.baseUrl}/oauth2/callback`,
        });
        return { authorizationUrl: location, redirectUri: c.redirectUri, expiresAt: Date.now() + c.stateTtlMs };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/oauth2/callback',
      summary:
        'OAuth2 redirect target: checks the state, exchanges the code, stores the tokens (an HTML page for browsers)',
      tag: 'credentials',
      auth: 'none',
      query: Type.Object({
        code: QueryText,
        state: QueryText,
        error: QueryText,
        error_description: QueryText,
      }),
      handler: async ({ req, res, query }) => {
        const c = connect();
        const name = c.cookieName(query.state ?? '');
        const binding = cookie(req, name);
        const answer = await c.handlers.callback(query, binding ? { binding } : {});
        const outcome = JSON.parse(answer.body) as OAuth2Outcome;
        if (binding) res.clearCookie(name, { path: `${req.baseUrl}/oauth2/callback` });
        if (req.accepts(['json', 'html']) === 'html') {
          const nonce = randomBytes(16).toString('base64');
          res.setHeader(
            'content-security-policy',
            `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'`,
          );
          res.status(outcome.status).type('html').send(oauth2ResultPage(outcome, nonce));
          return undefined;
        }
        if (!outcome.ok) {
          const code = outcome.status === 502 ? 'oauth2-token-exchange-failed' : 'oauth2-callback-invalid';
          throw new ProblemError(outcome.status, code, outcome.message);
        }
        return {
          ok: true,
          ...outcome.ref,
          ...(outcome.account ? { account: outcome.account } : {}),
          ...(outcome.expiresAt ? { expiresAt: outcome.expiresAt } : {}),
        };
      },
    }),
  ];
}
