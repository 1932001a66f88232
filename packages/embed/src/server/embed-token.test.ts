import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { mintEmbedToken, verifyEmbedToken } from './embed-token.js';

const issuer = 'https://app.acme.test';
const audience = 'https://weft.acme.test';
const claims = { externalUserId: 'u-1', externalWorkspaceId: 'acme', role: 'editor' as const, connectors: ['slack'] };

async function keys(alg: 'ES256' | 'RS256', kid: string) {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

describe('embed tokens', () => {
  it('round-trips claims with ES256 and RS256, choosing the key by kid', async () => {
    const a = await keys('ES256', 'a');
    const b = await keys('RS256', 'b');
    const jwks = { keys: [a.jwk, b.jwk] };
    for (const [k, alg] of [
      [a, 'ES256'],
      [b, 'RS256'],
    ] as const) {
      const token = await mintEmbedToken(claims, { privateKey: k.privateKey, kid: k.jwk.kid, alg, issuer, audience });
      expect(await verifyEmbedToken(token, { keys: jwks, issuer, audience })).toEqual(claims);
    }
  });

  it('rejects wrong audience, issuer, key, expiry and bad claims with a reason', async () => {
    const a = await keys('ES256', 'a');
    const other = await keys('ES256', 'a');
    const jwks = { keys: [a.jwk] };
    const token = await mintEmbedToken(claims, { privateKey: a.privateKey, kid: 'a', issuer, audience });
    await expect(verifyEmbedToken(token, { keys: jwks, issuer, audience: 'https://other' })).rejects.toThrow(
      /Embed token rejected: .*aud/,
    );
    await expect(verifyEmbedToken(token, { keys: jwks, issuer: 'https://evil', audience })).rejects.toThrow(/iss/);
    const forged = await mintEmbedToken(claims, { privateKey: other.privateKey, kid: 'a', issuer, audience });
    await expect(verifyEmbedToken(forged, { keys: jwks, issuer, audience })).rejects.toThrow(/signature/);
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'a' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now - 600)
      .setExpirationTime(now - 300)
      .sign(a.privateKey);
    await expect(verifyEmbedToken(expired, { keys: jwks, issuer, audience })).rejects.toThrow(
      /"exp" claim timestamp check failed/,
    );
    const longLived = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'a' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + 86400)
      .sign(a.privateKey);
    await expect(verifyEmbedToken(longLived, { keys: jwks, issuer, audience })).rejects.toThrow(/longer than 1 hour/);
    await expect(
      mintEmbedToken({ ...claims, role: 'god' as never }, { privateKey: a.privateKey, kid: 'a', issuer, audience }),
    ).rejects.toThrow(/role must be one of/);
    await expect(
      mintEmbedToken(claims, { privateKey: a.privateKey, kid: 'a', issuer, audience, ttlSeconds: 86400 }),
    ).rejects.toThrow(/between 1 s and 1 h/);
  });
});
