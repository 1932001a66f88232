import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { OidcVerifier } from './oidc-verifier.js';
import { hashPassword, verifyPassword } from './password.js';
import { allows } from './roles.js';
import { SessionTokens } from './session-tokens.js';
import { newTotpSecret, otpauthUri, totp, verifyTotp } from './totp.js';

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", truncated to 6 digits.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('at %i s gives %s', (t, code) => {
    expect(totp(secret, t * 1000)).toBe(code);
  });
  it('accepts one step of drift and rejects others', () => {
    expect(verifyTotp(secret, '287082', 59_000 + 30_000)).toBe(true);
    expect(verifyTotp(secret, '287082', 59_000 + 90_000)).toBe(false);
    expect(verifyTotp(secret, 'abcdef', 59_000)).toBe(false);
  });
  it('makes 160-bit base32 secrets and the URI authenticator apps scan', () => {
    expect(newTotpSecret()).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri(secret, 'ada@example.com', 'Weft')).toBe(
      `otpauth://totp/Weft:ada%40example.com?issuer=Weft&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
    );
  });
});

describe('passwords, sessions, roles', () => {
  it('hashes with scrypt and verifies', async () => {
    const h = await hashPassword('correct horse');
    expect(h.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('wrong horse', h)).toBe(false);
    expect(await verifyPassword('x', null)).toBe(false);
  });
  it('signs and verifies session tokens; rejects forged ones', async () => {
    const tokens = new SessionTokens(new TextEncoder().encode('k'.repeat(40)), 60);
    const jwt = await tokens.sign({ sub: 'u1', sid: 's1' });
    expect(await tokens.verify(jwt)).toEqual({ sub: 'u1', sid: 's1' });
    const other = new SessionTokens(new TextEncoder().encode('x'.repeat(40)), 60);
    expect(await other.verify(jwt)).toBeUndefined();
  });
  it('orders permissions by role', () => {
    expect(allows('viewer', 'read')).toBe(true);
    expect(allows('viewer', 'execute')).toBe(false);
    expect(allows('operator', 'execute')).toBe(true);
    expect(allows('editor', 'admin')).toBe(false);
    expect(allows('admin', 'owner')).toBe(false);
    expect(allows('owner', 'owner')).toBe(true);
  });
});

describe('OIDC ID tokens', () => {
  it('verifies against the provider JWKS and checks issuer and audience', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const verifier = new OidcVerifier(
      { issuer: 'https://id.test', audience: 'weft', jwksUri: 'https://id.test/jwks' },
      createLocalJWKSet({ keys: [jwk] }),
    );
    const sign = (claims: Record<string, unknown>, iss = 'https://id.test', aud = 'weft') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(iss)
        .setAudience(aud)
        .setSubject('ext-1')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    expect(await verifier.verify(await sign({ email: 'ada@example.com', name: 'Ada' }))).toEqual({
      subject: 'ext-1',
      email: 'ada@example.com',
      name: 'Ada',
    });
    await expect(verifier.verify(await sign({ email: 'a@b.c' }, 'https://evil.test'))).rejects.toThrow();
    await expect(verifier.verify(await sign({ email: 'a@b.c' }, 'https://id.test', 'other'))).rejects.toThrow();
    await expect(verifier.verify(await sign({}))).rejects.toThrow(/email/);
  });
});
