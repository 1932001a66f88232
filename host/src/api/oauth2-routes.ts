import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { OAuth2Outcome } from '@weft/connectors';
import type { Request, Response } from 'express';
import { assertConnectorAllowed } from '../auth/connector-allow-list.js';
import { allows } from '../auth/roles.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import {
  buildOAuth2Connect,
  type OAuth2Connect,
  oauth2ResultPage,
  oauth2TicketRef,
} from '../runtime/oauth2-connect.js';

const CredentialParams = Type.Object({ workspaceId: IdString, credentialId: IdString });
const QueryText = Type.Optional(Type.String({ maxLength: 4096 }));
/** A Connect link's ticket: `<workspace>~<credential>~<secret>`, base64url parts. */
const Ticket = Type.String({
  minLength: 5,
  maxLength: 1024,
  pattern: '^[A-Za-z0-9_-]+~[A-Za-z0-9_-]+~[A-Za-z0-9_-]+$',
});

/**
 * The OAuth2 popup's pages must keep their opener: the web app framed by another site hears back
 * from the popup only through `window.opener`, which a `same-origin` COOP (helmet's default) on
 * any page of the popup's way severs. These pages hold nothing an opener could read.
 */
const keepOpener = (res: Response) => res.setHeader('cross-origin-opener-policy', 'unsafe-none');

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Binds a state to this browser: an HttpOnly cookie only the callback path receives. */
function setBinding(req: Request, res: Response, c: OAuth2Connect, state: string, binding: string): void {
  res.cookie(c.cookieName(state), binding, {
    httpOnly: true,
    sameSite: 'lax',
    secure: c.secureCookie,
    maxAge: c.stateTtlMs,
    path: `${req.baseUrl}/oauth2/callback`,
  });
}

/** Answers the popup's result page (its script runs under a fresh nonce). */
function sendPage(res: Response, appOrigin: string, outcome: OAuth2Outcome): void {
  const nonce = randomBytes(16).toString('base64');
  res.setHeader(
    'content-security-policy',
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'`,
  );
  keepOpener(res);
  res
    .status(outcome.status)
    .type('html')
    .send(oauth2ResultPage(outcome, nonce, appOrigin));
}

/**
 * OAuth2 "Connect" (authorization code with PKCE): `POST .../credentials/:id/oauth2/authorize`
 * answers the provider's authorization URL with a signed state (kept server-side in the
 * credential, bound to the caller and, through an HttpOnly cookie, to their browser, for 10
 * minutes) and the S256 challenge, plus `connectUrl`, a single-use link on the host valid for 2
 * minutes: `GET /oauth2/connect?ticket=` sets the binding cookie first-party and redirects to the
 * provider, so Connect also works from the web app framed by another site, whose own cookies the
 * browser drops. `GET /oauth2/callback` is where the provider sends the browser back: it checks the
 * state, exchanges the code with the verifier and stores the tokens in the vault. Browsers get a
 * page that tells the web app and closes the popup; other callers get JSON (problem+json on
 * failure).
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
        setBinding(req, res, c, state, binding);
        const link = await c.states.issueTicket(state, {
          binding,
          authorizationUrl: location,
          userId: principal.userId,
        });
        return {
          authorizationUrl: location,
          connectUrl: `${rt.config.publicUrl}/api/v1/oauth2/connect?ticket=${link.ticket}`,
          redirectUri: c.redirectUri,
          expiresAt: Date.now() + c.stateTtlMs,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/oauth2/connect',
      summary:
        'Open a Connect link (once, within 2 minutes, in the popup): binds the authorization to this browser and redirects to the provider',
      tag: 'credentials',
      auth: 'none',
      query: Type.Object({ ticket: Ticket }),
      handler: async ({ req, res, query }) => {
        const c = connect();
        const redeemed = await c.states.redeemTicket(query.ticket);
        const role =
          typeof redeemed === 'object' ? await rt.identity.roleOf(redeemed.workspaceId, redeemed.userId) : undefined;
        let refusal: string | undefined;
        if (redeemed === 'unknown') refusal = 'This Connect link was already used or replaced by a newer one';
        else if (redeemed === 'expired') refusal = 'This Connect link expired (it is valid for 2 minutes)';
        else if (!role || !allows(role, 'write'))
          refusal = 'Whoever asked for this Connect link may no longer connect this credential';
        if (refusal || typeof redeemed !== 'object') {
          const message = `${refusal}: press Connect again.`;
          if (req.accepts(['json', 'html']) !== 'html')
            throw new ProblemError(400, 'oauth2-connect-link-invalid', message);
          // The credential the link names, so the app that waits for it stops (the page posts to the app's origin only).
          const ref = oauth2TicketRef(query.ticket);
          sendPage(res, c.appOrigin, { ok: false, status: 400, message, ...(ref ? { ref } : {}) });
          return undefined;
        }
        setBinding(req, res, c, redeemed.state, redeemed.binding);
        keepOpener(res);
        res.setHeader('cache-control', 'no-store');
        res.redirect(302, redeemed.authorizationUrl);
        return undefined;
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
          sendPage(res, c.appOrigin, outcome);
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
