import { Type } from '@sinclair/typebox';
import {
  ChallengeId,
  PasskeyAssertionSchema,
  PasskeySchema,
  RegistrationResponseSchema,
} from '../auth/passkey-schemas.js';
import { publicPasskey } from '../auth/passkey-store.js';
import { passkeysOf } from '../auth/passkeys.js';
import { refuseIfSsoOnly } from '../auth/sso-only.js';
import type { Principal } from '../http/principal.js';
import { ProblemError } from '../http/problem.js';
import { applyRateLimit } from '../http/rate-limit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { SessionSchema } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { issueSession } from './issue-session.js';

const Options = Type.Object({ challengeId: Type.String(), options: Type.Unknown() });

function sessionUser(principal: Principal): string {
  if (principal.kind !== 'user' || principal.scope)
    throw new ProblemError(403, 'session-required', 'Passkeys are managed with a signed-in session');
  return principal.userId;
}

/**
 * Passkeys (WebAuthn): list, register and remove one's own; passwordless sign-in with a
 * discoverable passkey. A passkey also serves as the second factor of `POST /auth/login`.
 *
 * @example
 * ```ts
 * mountRoutes(router, passkeyRoutes(runtime), runtime);
 * ```
 */
export function passkeyRoutes(rt: HostRuntime): AnyRoute[] {
  const passkeys = passkeysOf(rt);
  return [
    defineRoute({
      method: 'get',
      path: '/auth/passkeys',
      summary: 'The signed-in user’s passkeys',
      tag: 'auth',
      auth: 'user',
      response: Type.Object({ items: Type.Array(PasskeySchema) }),
      handler: async ({ principal }) => ({
        items: (await passkeys.store.list(sessionUser(principal))).map(publicPasskey),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/passkeys/registration-options',
      summary: 'Start adding a passkey: options for navigator.credentials.create()',
      tag: 'auth',
      auth: 'user',
      response: Options,
      handler: async ({ principal }) => {
        const user = await rt.identity.userById(sessionUser(principal));
        if (!user) throw new ProblemError(401, 'unauthenticated', 'The account no longer exists');
        return passkeys.registrationOptions(user);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/passkeys',
      summary: 'Add a passkey with the browser’s registration response',
      tag: 'auth',
      auth: 'user',
      status: 201,
      body: Type.Object(
        {
          challengeId: ChallengeId,
          name: Type.String({ minLength: 1, maxLength: 100 }),
          response: RegistrationResponseSchema,
        },
        { additionalProperties: false },
      ),
      response: PasskeySchema,
      handler: async ({ principal, body }) => {
        const userId = sessionUser(principal);
        const added = await passkeys.register(userId, body.challengeId, body.response as never, body.name.trim());
        return publicPasskey(added);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/auth/passkeys/:passkeyId',
      summary: 'Remove one of the signed-in user’s passkeys',
      tag: 'auth',
      auth: 'user',
      params: Type.Object({ passkeyId: Type.String({ minLength: 1, maxLength: 1400, pattern: '^[A-Za-z0-9_-]+$' }) }),
      handler: async ({ principal, params }) => {
        if (!(await passkeys.store.remove(sessionUser(principal), params.passkeyId)))
          throw new ProblemError(404, 'passkey-not-found', `Passkey "${params.passkeyId}" not found`);
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/passkeys/authentication-options',
      summary: 'Start signing in with a passkey: options for navigator.credentials.get()',
      tag: 'auth',
      auth: 'none',
      response: Options,
      handler: async ({ req, res }) => {
        await applyRateLimit(rt.rateLimiter, res, 'passkey', `passkey:${req.ip}`, 60, 60_000);
        return passkeys.authenticationOptions();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/passkeys/login',
      summary: 'Sign in without a password with a passkey assertion',
      tag: 'auth',
      auth: 'none',
      body: PasskeyAssertionSchema,
      response: SessionSchema,
      handler: async ({ req, res, body }) => {
        await applyRateLimit(rt.rateLimiter, res, 'passkey', `passkey:${req.ip}`, 60, 60_000);
        const used = await passkeys.authenticate(body.challengeId, body.response as never, {
          requireUserVerification: true,
          path: '',
        });
        const user = await rt.identity.userById(used.userId);
        if (!user) throw new ProblemError(401, 'passkey-unknown', 'This passkey’s account no longer exists');
        await refuseIfSsoOnly(rt, user.id);
        return issueSession(rt, user);
      },
    }),
  ];
}
