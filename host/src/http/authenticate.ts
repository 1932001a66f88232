import type { Request } from 'express';
import type { HostRuntime } from '../runtime/host-runtime.js';
import type { Principal } from './principal.js';
import { ProblemError } from './problem.js';

/**
 * Authenticates a request from `Authorization: Bearer <session JWT | weft_ API key>` (or, for
 * streams a browser opens without headers, the `access_token` query parameter). Throws a 401
 * problem naming what is wrong.
 *
 * @example
 * ```ts
 * const principal = await authenticate(runtime, req, { allowQueryToken: false });
 * ```
 */
export async function authenticate(
  runtime: HostRuntime,
  req: Request,
  options: { allowQueryToken: boolean },
): Promise<Principal> {
  const header = req.headers.authorization;
  let token: string | undefined;
  if (header !== undefined) {
    const m = /^Bearer +([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!m)
      throw new ProblemError(401, 'invalid-authorization-header', 'Header Authorization must be "Bearer <token>"', {
        errors: [{ in: 'header', path: 'authorization', message: 'Expected "Bearer <token>"' }],
      });
    token = m[1];
  } else if (options.allowQueryToken && typeof req.query.access_token === 'string') {
    token = req.query.access_token;
  }
  if (!token) {
    throw new ProblemError(401, 'unauthenticated', 'Sign in: send Authorization: Bearer <session token or API key>', {
      headers: { 'WWW-Authenticate': 'Bearer realm="weft"' },
    });
  }
  if (token.startsWith('weft_')) {
    const key = await runtime.apiKeys.verify(token);
    if (!key) throw new ProblemError(401, 'invalid-api-key', 'The API key is unknown, revoked or expired');
    return { kind: 'apiKey', userId: key.userId, key };
  }
  const claims = await runtime.tokens.verify(token);
  if (!claims) throw new ProblemError(401, 'invalid-token', 'The session token is invalid or expired; refresh it');
  if (!(await runtime.sessions.isActive(claims.sid)))
    throw new ProblemError(401, 'session-revoked', 'The session was signed out');
  return { kind: 'user', userId: claims.sub, sessionId: claims.sid, ...(claims.scope ? { scope: claims.scope } : {}) };
}
