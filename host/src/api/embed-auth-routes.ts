import { Type } from '@sinclair/typebox';
import { EmbedStore } from '@weft/sql';
import { EmbedVerifier } from '../auth/embed-verifier.js';
import { ProblemError } from '../http/problem.js';
import { applyRateLimit } from '../http/rate-limit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { SessionSchema } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const MAX_CONNECTORS = 100;

/**
 * `POST /auth/embed`: swaps an embed token signed by the embedding product's backend for a host
 * session. The token is verified against `WEFT_EMBED_PUBLIC_KEYS` or `WEFT_EMBED_JWKS_URL`; its
 * workspace and user are provisioned just in time (keyed by issuer and external id) and the
 * membership is set to exactly the token's role. The session is scoped to that workspace and
 * carries the token's connector allow-list; `/auth/refresh` keeps both.
 *
 * @example
 * ```ts
 * mountRoutes(router, embedAuthRoutes(runtime), runtime);
 * ```
 */
export function embedAuthRoutes(rt: HostRuntime): AnyRoute[] {
  const settings = rt.config.embed;
  const verifier = settings.issuer ? new EmbedVerifier({ ...settings, issuer: settings.issuer }) : undefined;
  const store = new EmbedStore(rt.h);
  return [
    defineRoute({
      method: 'post',
      path: '/auth/embed',
      summary: 'Sign in with an embed token from the embedding product (provisions the user and workspace)',
      tag: 'auth',
      auth: 'none',
      body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 20_000 }) }, { additionalProperties: false }),
      response: Type.Composite([SessionSchema, Type.Object({ workspaceId: Type.String() })]),
      handler: async ({ body, req, res }) => {
        if (!verifier)
          throw new ProblemError(404, 'embed-not-configured', 'Embed tokens are not configured (WEFT_EMBED_ISSUER)');
        await applyRateLimit(rt.rateLimiter, res, 'embed', `embed:${req.ip}`, 120, 60_000);
        let claims: Awaited<ReturnType<EmbedVerifier['verify']>>;
        try {
          claims = await verifier.verify(body.token);
        } catch (e) {
          throw new ProblemError(401, 'invalid-embed-token', (e as Error).message);
        }
        if (claims.connectors && claims.connectors.length > MAX_CONNECTORS)
          throw new ProblemError(
            401,
            'invalid-embed-token',
            `Embed token rejected: more than ${MAX_CONNECTORS} connectors`,
          );
        const who = await store.provision({ ...claims, issuer: verifier.settings.issuer });
        const scope = {
          workspaceId: who.workspaceId,
          ...(claims.connectors ? { connectors: claims.connectors } : {}),
        };
        const { sessionId, refreshToken } = await rt.sessions.create(who.userId, rt.config.refreshTtlSec);
        await store.scopeSession(sessionId, scope);
        const accessToken = await rt.tokens.sign({ sub: who.userId, sid: sessionId, scope });
        return {
          accessToken,
          refreshToken,
          expiresIn: rt.config.sessionTtlSec,
          user: { id: who.userId, email: who.email, name: who.name, mfaEnabled: false },
          workspaceId: who.workspaceId,
        };
      },
    }),
  ];
}
