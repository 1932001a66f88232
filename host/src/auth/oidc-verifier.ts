import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** What an external identity provider vouches for. */
export interface OidcIdentity {
  subject: string;
  email: string;
  name?: string;
}

/**
 * Verifies ID tokens of an external OpenID Connect provider against its JWKS (jose): signature,
 * issuer, audience and expiry; the token must carry a verified email.
 *
 * @example
 * ```ts
 * const oidc = new OidcVerifier({ issuer: 'https://id.example.com', audience: 'weft', jwksUri: 'https://id.example.com/jwks' });
 * const who = await oidc.verify(idToken);
 * ```
 */
export class OidcVerifier {
  readonly #keys: JWTVerifyGetKey;
  constructor(
    readonly options: { issuer: string; audience: string; jwksUri: string },
    keys?: JWTVerifyGetKey,
  ) {
    this.#keys = keys ?? createRemoteJWKSet(new URL(options.jwksUri));
  }

  async verify(idToken: string): Promise<OidcIdentity> {
    const { payload } = await jwtVerify(idToken, this.#keys, {
      issuer: this.options.issuer,
      audience: this.options.audience,
    });
    if (typeof payload.sub !== 'string') throw new Error('ID token has no subject');
    if (typeof payload.email !== 'string') throw new Error('ID token has no email claim');
    if (payload.email_verified === false) throw new Error('ID token email is not verified');
    return {
      subject: payload.sub,
      email: payload.email,
      ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
    };
  }
}
