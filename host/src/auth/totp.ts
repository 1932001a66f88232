import { Secret, TOTP } from 'otpauth';

const PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** A new random TOTP secret (160 bits, base32). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The RFC 6238 TOTP code (HMAC-SHA1, 30 s steps, 6 digits) for the base32 `secret` at `time`.
 *
 * @example
 * ```ts
 * totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000); // '287082' (RFC 6238 test vector, 6 digits)
 * ```
 */
export function totp(secret: string, time: number = Date.now(), step = 30, digits = 6): string {
  return TOTP.generate({ ...PARAMS, secret: Secret.fromBase32(secret), period: step, digits, timestamp: time });
}

/** Checks a code, allowing one step of clock drift either way. */
export function verifyTotp(secret: string, code: string, time: number = Date.now()): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return (
    TOTP.validate({ ...PARAMS, secret: Secret.fromBase32(secret), token: code, timestamp: time, window: 1 }) !== null
  );
}

/** The `otpauth://` URI authenticator apps scan. */
export function otpauthUri(secret: string, account: string, issuer: string): string {
  return new TOTP({ ...PARAMS, secret: Secret.fromBase32(secret), label: account, issuer }).toString();
}
