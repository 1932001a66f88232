import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  type KeyObject,
  SignJWT,
} from 'jose';

/** Roles an embedded user may have inside their workspace. */
export type EmbedRole = 'owner' | 'admin' | 'editor' | 'operator' | 'viewer';

/** What an embed token says about the user of the embedding product. */
export interface EmbedClaims {
  externalUserId: string;
  externalWorkspaceId: string;
  role: EmbedRole;
  /** Connectors the user may use; omitted means all. */
  connectors?: string[];
  email?: string;
  name?: string;
}

const ROLES = new Set<EmbedRole>(['owner', 'admin', 'editor', 'operator', 'viewer']);

/** Options of {@link mintEmbedToken}. */
export interface MintOptions {
  privateKey: CryptoKey | KeyObject;
  /** Key id, matched against the host's configured keys or JWKS. */
  kid: string;
  alg?: 'RS256' | 'ES256';
  issuer: string;
  /** The Weft host the token is for. */
  audience: string;
  /** Lifetime; default 10 minutes, at most 1 hour. */
  ttlSeconds?: number;
}

/**
 * Signs a short-lived embed token on the embedding product's backend.
 *
 * @example
 * ```ts
 * const { privateKey } = await generateKeyPair('ES256');
 * const token = await mintEmbedToken({ externalUserId: 'u1', externalWorkspaceId: 'acme', role: 'editor' }, { privateKey, kid: 'k1', alg: 'ES256', issuer: 'https://app.acme.com', audience: 'https://weft.acme.com' });
 * ```
 */
export async function mintEmbedToken(claims: EmbedClaims, options: MintOptions): Promise<string> {
  checkClaims(claims as unknown as JWTPayload);
  const ttl = options.ttlSeconds ?? 600;
  if (ttl <= 0 || ttl > 3600) throw new Error(`Embed tokens must live between 1 s and 1 h; ttlSeconds was ${ttl}`);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(claims.externalUserId)
    .setIssuedAt()
    .setExpirationTime(`${ttl}s`)
    .sign(options.privateKey);
}

/** Options of {@link verifyEmbedToken}: public keys as a JWKS document or a JWKS URL. */
export interface VerifyOptions {
  keys?: JSONWebKeySet;
  jwksUrl?: string;
  issuer: string;
  audience: string;
  /** Tolerated clock skew, seconds. Default 30. */
  clockToleranceSeconds?: number;
}

function checkClaims(p: JWTPayload): asserts p is JWTPayload & EmbedClaims {
  const problems: string[] = [];
  if (typeof p.externalUserId !== 'string' || !p.externalUserId)
    problems.push('externalUserId must be a non-empty string');
  if (typeof p.externalWorkspaceId !== 'string' || !p.externalWorkspaceId)
    problems.push('externalWorkspaceId must be a non-empty string');
  if (!ROLES.has(p.role as EmbedRole)) problems.push(`role must be one of ${[...ROLES].join(', ')}`);
  if (p.connectors !== undefined && (!Array.isArray(p.connectors) || p.connectors.some((c) => typeof c !== 'string'))) {
    problems.push('connectors must be a list of connector names');
  }
  if (problems.length) throw new Error(`Invalid embed token claims: ${problems.join('; ')}`);
}

/**
 * Verifies an embed token on the Weft host (signature with RS256/ES256 by `kid`, issuer,
 * audience, expiry) and returns its claims. Throws an error naming what is wrong.
 *
 * @example
 * ```ts
 * const claims = await verifyEmbedToken(token, { jwksUrl: 'https://app.acme.com/.well-known/jwks.json', issuer: 'https://app.acme.com', audience: 'https://weft.acme.com' });
 * ```
 */
export async function verifyEmbedToken(token: string, options: VerifyOptions): Promise<EmbedClaims> {
  const keys = options.keys
    ? createLocalJWKSet(options.keys)
    : options.jwksUrl
      ? createRemoteJWKSet(new URL(options.jwksUrl))
      : undefined;
  if (!keys) throw new Error('verifyEmbedToken needs keys or a jwksUrl');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: ['RS256', 'ES256'],
      clockTolerance: options.clockToleranceSeconds ?? 30,
      requiredClaims: ['exp', 'iat'],
    }));
  } catch (e) {
    throw new Error(`Embed token rejected: ${(e as Error).message}`);
  }
  if ((payload.exp as number) - (payload.iat as number) > 3600)
    throw new Error('Embed token rejected: it lives longer than 1 hour');
  checkClaims(payload);
  const { externalUserId, externalWorkspaceId, role, connectors, email, name } = payload;
  return {
    externalUserId,
    externalWorkspaceId,
    role,
    ...(connectors ? { connectors } : {}),
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
  };
}
