import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomFillSync } from 'node:crypto';

/**
 * A JSON value encrypted with a data key (AES-256-GCM): what an execution column holds instead of
 * the payload once the execution is sealed (a data subject's key, or the workspace's payload key
 * when it encrypts every payload at rest). `kid` names the key; once a subject's key is destroyed
 * (erasure), nobody can open it, in the database or in any backup of it. `ct` is the ciphertext
 * followed by the 16-byte tag (the layout Web Crypto uses, so older envelopes still open).
 */
export interface SealedPayload {
  $sealed: { v: 1; kid: string; iv: string; ct: string };
}

/** Random IVs, drawn 12 bytes at a time from a pool refilled 512 IVs at once (one call, not one per seal). */
const IV_BYTES = 12;
const pool = Buffer.alloc(IV_BYTES * 512);
let poolAt = pool.length;

function freshIv(): Buffer {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  // A copy: the pool's bytes are overwritten at the next refill.
  const iv = Buffer.from(pool.subarray(poolAt, poolAt + IV_BYTES));
  poolAt += IV_BYTES;
  return iv;
}

/** A data key as node:crypto holds it (not extractable through this API). */
export type SubjectKey = KeyObject;

/** Whether `value` is a {@link SealedPayload}. */
export function isSealed(value: unknown): value is SealedPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { $sealed?: { kid?: unknown } }).$sealed?.kid === 'string'
  );
}

/**
 * Imports a raw 32-byte key for {@link sealJson} and {@link openJson}.
 *
 * @example
 * ```ts
 * const key = importSubjectKey(randomBytes(32));
 * ```
 */
export function importSubjectKey(raw: Uint8Array): SubjectKey {
  if (raw.byteLength !== 32) throw new RangeError(`A data key has 32 bytes, got ${raw.byteLength}`);
  return createSecretKey(raw);
}

/**
 * Encrypts a JSON value with AES-256-GCM under a fresh 96-bit IV; the key id is bound to the
 * ciphertext as additional data, so an envelope cannot be relabelled with another key.
 * Synchronous (node:crypto): on the execution store's hot path a promise per payload cost more
 * than the cipher itself.
 *
 * @example
 * ```ts
 * const sealed = sealJson({ email: 'ada@example.com' }, key, 'sk_1');
 * openJson(sealed, key); // { email: 'ada@example.com' }
 * ```
 */
export function sealJson(value: unknown, key: SubjectKey, kid: string): SealedPayload {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(kid));
  const head = cipher.update(JSON.stringify(value), 'utf8');
  const tail = cipher.final();
  const ct = Buffer.concat([head, tail, cipher.getAuthTag()]);
  return { $sealed: { v: 1, kid, iv: iv.toString('base64'), ct: ct.toString('base64') } };
}

/** Decrypts a {@link SealedPayload}; throws when the key is not the one it was sealed with. */
export function openJson(sealed: SealedPayload, key: SubjectKey): unknown {
  const { kid, iv, ct } = sealed.$sealed;
  const bytes = Buffer.from(ct, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(kid));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8'));
}
