import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM output, base64 encoded.
 *
 * @example
 * ```ts
 * const sealed: Sealed = seal(key, plaintext, 'ws1|c1');
 * ```
 */
export interface Sealed {
  iv: string;
  tag: string;
  ciphertext: string;
}

/**
 * Encrypts with AES-256-GCM, a fresh 96-bit IV and `aad` bound to the ciphertext.
 *
 * @example
 * ```ts
 * const sealed = seal(key, Buffer.from('hi'), 'ws1|cred1');
 * open(key, sealed, 'ws1|cred1').toString(); // 'hi'
 * ```
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/**
 * Decrypts {@link seal}'s output; throws when the key, `aad` or data do not match.
 *
 * @example
 * ```ts
 * const plaintext = open(key, sealed, 'ws1|c1');
 * ```
 */
export function open(key: Uint8Array, sealed: Sealed, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
}
