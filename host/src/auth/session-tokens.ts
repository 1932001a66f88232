import type { SessionScope } from '@weft/sql';
import { jwtVerify, SignJWT } from 'jose';

export type { SessionScope };

/** Claims of a session access token. */
export interface SessionClaims {
  /** User id. */
  sub: string;
  /** Session id (revocable). */
  sid: string;
  /** Set on sessions opened with an embed token: the one workspace they may use. */
  scope?: SessionScope;
}

/**
 * Short-lived HS256 JWT access tokens (jose) bound to a revocable session.
 *
 * @example
 * ```ts
 * const tokens = new SessionTokens(secret, 900);
 * const jwt = await tokens.sign({ sub: user.id, sid });
 * const claims = await tokens.verify(jwt); // undefined when expired or forged
 * ```
 */
export class SessionTokens {
  constructor(
    readonly secret: Uint8Array,
    readonly ttlSec: number,
    readonly issuer = 'weft',
  ) {}

  sign(claims: SessionClaims): Promise<string> {
    const scope = claims.scope
      ? { ws: claims.scope.workspaceId, ...(claims.scope.connectors ? { con: claims.scope.connectors } : {}) }
      : {};
    return new SignJWT({ sid: claims.sid, ...scope })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuer(this.issuer)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSec}s`)
      .sign(this.secret);
  }

  async verify(token: string): Promise<SessionClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: this.issuer, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return undefined;
      const con = payload.con;
      const connectors = Array.isArray(con) && con.every((c) => typeof c === 'string') ? con : undefined;
      const scope =
        typeof payload.ws === 'string' ? { workspaceId: payload.ws, ...(connectors ? { connectors } : {}) } : undefined;
      return { sub: payload.sub, sid: payload.sid, ...(scope ? { scope } : {}) };
    } catch {
      return undefined;
    }
  }
}
