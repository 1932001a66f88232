import { publicUser, type UserSecrets } from '@weft/sql';
import type { HostRuntime } from '../runtime/host-runtime.js';

/**
 * Issues an access token and a refresh token for a new session: what every sign-in route
 * (password, SSO, passkey) answers once the user is known.
 *
 * @example
 * ```ts
 * return issueSession(rt, user); // { accessToken, refreshToken, expiresIn, user }
 * ```
 */
export async function issueSession(
  rt: HostRuntime,
  user: UserSecrets | { id: string; email: string; name: string | null; mfaEnabled: boolean; createdAt: number },
) {
  const { sessionId, refreshToken } = await rt.sessions.create(user.id, rt.config.refreshTtlSec);
  const accessToken = await rt.tokens.sign({ sub: user.id, sid: sessionId });
  const u = publicUser(user);
  return {
    accessToken,
    refreshToken,
    expiresIn: rt.config.sessionTtlSec,
    user: { id: u.id, email: u.email, name: u.name, mfaEnabled: u.mfaEnabled },
  };
}
