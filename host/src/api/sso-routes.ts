import { Type } from '@sinclair/typebox';
import type { Request, Response } from 'express';
import { OidcLogin, SsoLoginError } from '../auth/oidc-login.js';
import { ssoUser } from '../auth/sso-provisioning.js';
import { SsoStore } from '../auth/sso-store.js';
import { ProblemError } from '../http/problem.js';
import { applyRateLimit } from '../http/rate-limit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { SessionSchema, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { issueSession } from './issue-session.js';

/** The cookie binding a started SSO login to the browser that started it. */
const COOKIE = 'weft_sso';
const COOKIE_PATH = '/api/v1/auth/oidc';

function browserSecret(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === COOKIE) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

function setBrowserCookie(rt: HostRuntime, res: Response, value: string, maxAgeMs: number): void {
  res.cookie(COOKIE, value, {
    httpOnly: true,
    // Lax: the cookie rides along on the provider's top-level redirect back to the app.
    sameSite: 'lax',
    secure: rt.config.publicUrl.startsWith('https:'),
    path: COOKIE_PATH,
    maxAge: maxAgeMs,
  });
}

const asProblem = (e: unknown): unknown =>
  e instanceof SsoLoginError ? new ProblemError(e.status, e.code, e.message) : e;

const SsoSettingsSchema = Type.Object({
  ssoOnly: Type.Boolean(),
  /** The provider's name when the host has SSO login configured. */
  provider: Type.Union([Type.String(), Type.Null()]),
});

/**
 * OpenID Connect single sign-on: `GET /auth/oidc/start` sends the browser to the provider
 * (authorization code + PKCE, state bound to the browser by an HttpOnly cookie),
 * `POST /auth/oidc/callback` completes the login with the parameters the provider sent back to the
 * web app's sign-in page and answers a session; `/workspaces/:workspaceId/sso` reads and sets
 * whether the workspace's members must sign in through SSO.
 *
 * @example
 * ```ts
 * mountRoutes(router, ssoRoutes(runtime), runtime);
 * ```
 */
export function ssoRoutes(rt: HostRuntime): AnyRoute[] {
  const settings = rt.config.sso;
  const login = settings ? new OidcLogin(settings, rt.h) : undefined;
  const store = new SsoStore(rt.h);
  const configured = () => {
    if (!login || !settings)
      throw new ProblemError(
        404,
        'sso-not-configured',
        'SSO login is not configured on this host (WEFT_OIDC_CLIENT_ID)',
      );
    return { login, settings };
  };
  return [
    defineRoute({
      method: 'get',
      path: '/auth/oidc/start',
      summary: 'Start SSO sign-in: redirects the browser to the OpenID Connect provider',
      tag: 'auth',
      auth: 'none',
      status: 302,
      query: Type.Object({
        returnTo: Type.Optional(
          Type.String({ maxLength: 500, pattern: '^/(?![/\\\\])[^\\s]*$', description: 'App path to open afterwards' }),
        ),
      }),
      handler: async ({ req, res, query }) => {
        const { login } = configured();
        await applyRateLimit(rt.rateLimiter, res, 'sso', `sso:${req.ip}`, 30, 60_000);
        const started = await login.start(query.returnTo ?? '/workflows').catch((e) => {
          throw asProblem(e);
        });
        setBrowserCookie(rt, res, started.browserSecret, 10 * 60_000);
        res.setHeader('cache-control', 'no-store');
        res.redirect(302, started.url);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/oidc/callback',
      summary: 'Complete SSO sign-in with the code and state the provider sent back; answers a session',
      tag: 'auth',
      auth: 'none',
      body: Type.Object(
        {
          code: Type.String({ minLength: 1, maxLength: 2000 }),
          state: Type.String({ minLength: 1, maxLength: 500 }),
          iss: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
        },
        { additionalProperties: false },
      ),
      response: Type.Intersect([SessionSchema, Type.Object({ returnTo: Type.String() })]),
      handler: async ({ req, res, body }) => {
        const { login, settings } = configured();
        await applyRateLimit(rt.rateLimiter, res, 'sso', `sso:${req.ip}`, 30, 60_000);
        const secret = browserSecret(req);
        // The attempt is spent either way: forget its cookie.
        res.clearCookie(COOKIE, { path: COOKIE_PATH });
        const who = await login.complete(body, secret).catch((e) => {
          throw asProblem(e);
        });
        const user = await ssoUser(rt, settings, login.store, who, {
          ip: req.ip ?? null,
          userAgent: req.get('user-agent')?.slice(0, 500) ?? null,
          requestId: (res.getHeader('x-request-id') as string | undefined) ?? null,
        });
        return { ...(await issueSession(rt, user)), returnTo: who.returnTo };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/sso',
      summary: 'Whether members of the workspace must sign in through SSO',
      tag: 'workspaces',
      auth: 'read',
      scope: 'workspace',
      params: WorkspaceParams,
      response: SsoSettingsSchema,
      handler: async ({ params }) => ({
        ssoOnly: await store.isSsoOnly(params.workspaceId),
        provider: settings?.providerName ?? null,
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/workspaces/:workspaceId/sso',
      summary: 'Require (or stop requiring) SSO sign-in for the workspace’s members',
      tag: 'workspaces',
      auth: 'admin',
      scope: 'workspace',
      params: WorkspaceParams,
      body: Type.Object({ ssoOnly: Type.Boolean() }, { additionalProperties: false }),
      response: SsoSettingsSchema,
      handler: async ({ params, body }) => {
        if (body.ssoOnly && !settings)
          throw new ProblemError(
            409,
            'sso-not-configured',
            'SSO login is not configured on this host (WEFT_OIDC_CLIENT_ID): requiring it would lock members out',
          );
        await store.setSsoOnly(params.workspaceId, body.ssoOnly);
        return { ssoOnly: body.ssoOnly, provider: settings?.providerName ?? null };
      },
    }),
  ];
}
