import { Type } from '@sinclair/typebox';
import { EmbedStore, publicUser, sha256, type UserSecrets } from '@weft/sql';
import { PasskeyAssertionSchema } from '../auth/passkey-schemas.js';
import { passkeysOf } from '../auth/passkeys.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { refuseIfSsoOnly } from '../auth/sso-only.js';
import { newTotpSecret, otpauthUri, verifyTotp } from '../auth/totp.js';
import { ProblemError } from '../http/problem.js';
import { applyRateLimit } from '../http/rate-limit.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { SessionSchema } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { seedExamples } from '../workflows/seed-examples.js';
import { issueSession } from './issue-session.js';
import { passkeyRoutes } from './passkey-routes.js';
import { ssoRoutes } from './sso-routes.js';

const Email = Type.String({ minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' });
const Password = Type.String({ minLength: 8, maxLength: 200 });
const Code = Type.String({ minLength: 6, maxLength: 32 });

let dummy: Promise<string> | undefined;
const dummyHash = () => {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
};

/** A passkey assertion sent as the second factor. */
type PasskeyAssertion = { challengeId: string; response: unknown };

/** Checks a TOTP code, spends a recovery code, or verifies one of the user's passkeys. */
async function secondFactor(
  rt: HostRuntime,
  user: UserSecrets,
  code: string | undefined,
  passkey?: PasskeyAssertion,
): Promise<void> {
  if (!user.mfaEnabled) return;
  if (passkey) {
    await passkeysOf(rt).authenticate(passkey.challengeId, passkey.response as never, {
      userId: user.id,
      requireUserVerification: false,
      path: '/passkey',
    });
    return;
  }
  if (!code) {
    const passkeys = (await passkeysOf(rt).store.list(user.id)).length > 0;
    throw new ProblemError(
      401,
      'mfa-required',
      `This account uses two-factor authentication: send "code" (authenticator or recovery code)${passkeys ? ' or "passkey" (an assertion)' : ''}`,
      { methods: passkeys ? ['totp', 'passkey'] : ['totp'] },
    );
  }
  if (user.totpSecret && verifyTotp(user.totpSecret, code)) return;
  const hashed = sha256(code.trim());
  if (user.recoveryCodes.includes(hashed)) {
    await rt.identity.setTotp(user.id, { recoveryCodes: user.recoveryCodes.filter((c) => c !== hashed) });
    return;
  }
  throw new ProblemError(401, 'mfa-invalid', 'The two-factor code is wrong or expired');
}

/**
 * Sign-up (with a one-time token), password login with optional TOTP or passkey second factor
 * (refused for members of SSO-only workspaces), refresh, logout, MFA set-up, the OIDC ID-token
 * hook, SSO login ({@link ssoRoutes}) and passkeys ({@link passkeyRoutes}).
 *
 * @example
 * ```ts
 * mountRoutes(router, authRoutes(runtime), runtime);
 * ```
 */
export function authRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/auth/setup',
      summary: 'Whether the first owner still has to sign up',
      tag: 'auth',
      auth: 'none',
      response: Type.Object({
        needsOwner: Type.Boolean(),
        oidc: Type.Boolean(),
        /** The provider's name when "Sign in with <provider>" (SSO) is on. */
        ssoProvider: Type.Union([Type.String(), Type.Null()]),
        branding: Type.Unknown(),
        embed: Type.Object({ allowedOrigins: Type.Array(Type.String()), tokens: Type.Boolean() }),
      }),
      handler: async () => ({
        needsOwner: (await rt.identity.countUsers()) === 0,
        oidc: !!rt.oidc,
        ssoProvider: rt.config.sso?.providerName ?? null,
        branding: rt.config.branding,
        // Origins the embed views trust (postMessage), and whether /auth/embed accepts tokens.
        embed: { allowedOrigins: rt.config.embed.allowedOrigins, tokens: !!rt.config.embed.issuer },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/auth/signup',
      summary: 'Sign up with a one-time token (first-run link or invitation)',
      tag: 'auth',
      auth: 'none',
      status: 201,
      body: Type.Object(
        {
          token: Type.String({ minLength: 10, maxLength: 200 }),
          email: Email,
          password: Password,
          name: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      response: SessionSchema,
      handler: async ({ body }) => {
        const grant = await rt.sessions.consumeSignupToken(body.token, body.email);
        if (grant === 'email-mismatch') {
          throw new ProblemError(400, 'signup-email-mismatch', 'This invitation is for another email address', {
            errors: [{ in: 'body', path: '/email', message: 'Does not match the invitation' }],
          });
        }
        if (!grant) {
          throw new ProblemError(400, 'invalid-signup-token', 'The sign-up link is unknown, used or expired', {
            errors: [{ in: 'body', path: '/token', message: 'Unknown, used or expired' }],
          });
        }
        let user = await rt.identity.userByEmail(body.email);
        if (user) {
          if (!(await verifyPassword(body.password, user.passwordHash)))
            throw new ProblemError(
              409,
              'email-taken',
              'An account with this email exists; sign in with its password to accept',
            );
        } else {
          const created = await rt.identity.createUser({
            email: body.email,
            name: body.name ?? null,
            passwordHash: await hashPassword(body.password),
          });
          user = { ...created, passwordHash: null, totpSecret: null, recoveryCodes: [] };
        }
        if (grant.workspaceId) await rt.identity.setMember(grant.workspaceId, user.id, grant.role);
        else {
          const ws = await rt.identity.createWorkspace(`${body.name ?? body.email.split('@')[0]}'s workspace`, user.id);
          if (rt.config.seedExamples) await seedExamples(rt, ws.id);
        }
        return issueSession(rt, user);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with email and password (and a TOTP code, recovery code or passkey when MFA is on)',
      tag: 'auth',
      auth: 'none',
      body: Type.Object(
        {
          email: Email,
          password: Type.String({ minLength: 1, maxLength: 200 }),
          code: Type.Optional(Code),
          passkey: Type.Optional(PasskeyAssertionSchema),
        },
        { additionalProperties: false },
      ),
      response: SessionSchema,
      handler: async ({ body, req, res }) => {
        await applyRateLimit(rt.rateLimiter, res, 'login', `login:${req.ip}`, 30, 60_000);
        const user = await rt.identity.userByEmail(body.email);
        // Unknown emails cost the same scrypt work as wrong passwords: no timing oracle for accounts.
        const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash()));
        if (!user || !ok) {
          throw new ProblemError(401, 'invalid-credentials', 'Wrong email or password');
        }
        await refuseIfSsoOnly(rt, user.id);
        await secondFactor(rt, user, body.code, body.passkey);
        return issueSession(rt, user);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/refresh',
      summary: 'Swap a refresh token for a new access token (the refresh token rotates)',
      tag: 'auth',
      auth: 'none',
      body: Type.Object(
        { refreshToken: Type.String({ minLength: 10, maxLength: 200 }) },
        { additionalProperties: false },
      ),
      response: SessionSchema,
      handler: async ({ body }) => {
        const rotated = await rt.sessions.rotate(body.refreshToken, rt.config.refreshTtlSec);
        if (!rotated)
          throw new ProblemError(
            401,
            'invalid-refresh-token',
            'The refresh token is unknown, revoked or expired; sign in again',
          );
        const user = await rt.identity.userById(rotated.userId);
        if (!user) throw new ProblemError(401, 'invalid-refresh-token', 'The account no longer exists');
        // A session opened with an embed token keeps its workspace scope and connector allow-list.
        const scope = await new EmbedStore(rt.h).scopeOf(rotated.sessionId);
        const accessToken = await rt.tokens.sign({ sub: user.id, sid: rotated.sessionId, ...(scope ? { scope } : {}) });
        return {
          accessToken,
          refreshToken: rotated.refreshToken,
          expiresIn: rt.config.sessionTtlSec,
          user: { id: user.id, email: user.email, name: user.name, mfaEnabled: user.mfaEnabled },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/logout',
      summary: 'Revoke the current session (or all of the user’s sessions)',
      tag: 'auth',
      auth: 'user',
      query: Type.Object({ all: Type.Optional(Type.Boolean()) }),
      handler: async ({ principal, query }) => {
        if (principal.kind !== 'user')
          throw new ProblemError(400, 'not-a-session', 'API keys are revoked through /api-keys, not logout');
        if (query.all) await rt.sessions.revokeAllOf(principal.userId);
        else await rt.sessions.revoke(principal.sessionId);
        return undefined;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/auth/me',
      summary: 'The signed-in user and their workspaces',
      tag: 'auth',
      auth: 'user',
      handler: async ({ principal }) => {
        const user = await rt.identity.userById(principal.userId);
        if (!user) throw new ProblemError(401, 'unauthenticated', 'The account no longer exists');
        const workspaces = await rt.identity.workspacesOf(user.id);
        return {
          user: publicUser(user),
          workspaces:
            principal.kind === 'apiKey'
              ? workspaces.filter((w) => w.id === principal.key.workspaceId)
              : principal.scope
                ? workspaces.filter((w) => w.id === principal.scope?.workspaceId)
                : workspaces,
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/mfa/setup',
      summary: 'Start TOTP set-up: returns a new secret and otpauth URI (not active until confirmed)',
      tag: 'auth',
      auth: 'user',
      handler: async ({ principal }) => {
        if (principal.kind !== 'user' || principal.scope)
          throw new ProblemError(403, 'session-required', 'MFA is managed with a signed-in session');
        const user = await rt.identity.userById(principal.userId);
        if (!user) throw new ProblemError(401, 'unauthenticated', 'The account no longer exists');
        if (user.mfaEnabled)
          throw new ProblemError(
            409,
            'mfa-already-enabled',
            'Two-factor authentication is already on; disable it first',
          );
        const secret = newTotpSecret();
        await rt.identity.setTotp(user.id, { secret, enabled: false });
        return { secret, otpauthUri: otpauthUri(secret, user.email, rt.config.branding.name) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/mfa/enable',
      summary: 'Confirm TOTP set-up with a current code; returns one-time recovery codes',
      tag: 'auth',
      auth: 'user',
      body: Type.Object({ code: Code }, { additionalProperties: false }),
      handler: async ({ principal, body }) => {
        const user = await rt.identity.userById(principal.userId);
        if (!user?.totpSecret || principal.kind !== 'user')
          throw new ProblemError(409, 'mfa-not-set-up', 'Call /auth/mfa/setup first');
        if (!verifyTotp(user.totpSecret, body.code))
          throw new ProblemError(400, 'mfa-invalid', 'The code is wrong or expired', {
            errors: [{ in: 'body', path: '/code', message: 'Wrong or expired' }],
          });
        const codes = Array.from({ length: 10 }, () => crypto.randomUUID().replace(/-/g, '').slice(0, 12));
        await rt.identity.setTotp(user.id, { enabled: true, recoveryCodes: codes.map((c) => sha256(c)) });
        return { recoveryCodes: codes };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/mfa/disable',
      summary: 'Turn TOTP off (needs a current code or a recovery code)',
      tag: 'auth',
      auth: 'user',
      body: Type.Object({ code: Code }, { additionalProperties: false }),
      handler: async ({ principal, body }) => {
        const user = await rt.identity.userById(principal.userId);
        if (!user || principal.kind !== 'user')
          throw new ProblemError(403, 'session-required', 'MFA is managed with a signed-in session');
        await secondFactor(rt, user, body.code);
        await rt.identity.setTotp(user.id, { secret: null, enabled: false, recoveryCodes: [] });
        return undefined;
      },
    }),
    defineRoute({
      method: 'post',
      path: '/auth/oidc',
      summary: 'Sign in with an ID token from the configured OpenID Connect provider',
      tag: 'auth',
      auth: 'none',
      body: Type.Object(
        { idToken: Type.String({ minLength: 10, maxLength: 20_000 }) },
        { additionalProperties: false },
      ),
      response: SessionSchema,
      handler: async ({ body }) => {
        if (!rt.oidc) throw new ProblemError(404, 'oidc-not-configured', 'OIDC login is not configured on this host');
        let identity: Awaited<ReturnType<NonNullable<HostRuntime['oidc']>['verify']>>;
        try {
          identity = await rt.oidc.verify(body.idToken);
        } catch (e) {
          throw new ProblemError(401, 'invalid-id-token', `ID token rejected: ${(e as Error).message}`);
        }
        const user = await rt.identity.userByEmail(identity.email);
        if (!user)
          throw new ProblemError(
            403,
            'oidc-user-unknown',
            `No account for ${identity.email}; ask an admin for an invitation`,
          );
        return issueSession(rt, user);
      },
    }),
    ...ssoRoutes(rt),
    ...passkeyRoutes(rt),
  ];
}
