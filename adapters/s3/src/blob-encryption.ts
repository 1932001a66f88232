import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Where client-side encryption keys come from: 32-byte keys named by id, so each blob records the
 * key that wrapped it and old blobs stay readable after a rotation. The connectors' master keys
 * (`parseMasterKeys(WEFT_MASTER_KEYS)`) fit through {@link staticBlobKeys}.
 *
 * @example
 * ```ts
 * const keys: BlobKeyProvider = { current: async () => vaultKey, get: async (id) => lookup(id) };
 * ```
 */
export interface BlobKeyProvider {
  /** The key new blobs are encrypted with. */
  current(): Promise<{ id: string; key: Uint8Array }>;
  /** The key with this id, or undefined when it is no longer known. */
  get(id: string): Promise<Uint8Array | undefined>;
}

/**
 * A {@link BlobKeyProvider} over a fixed list of keys, the first being current.
 *
 * @example
 * ```ts
 * const keys = staticBlobKeys([{ id: 'k2026', key: randomBytes(32) }, { id: 'k2025', key: oldKey }]);
 * ```
 */
export function staticBlobKeys(keys: readonly { id: string; key: Uint8Array }[]): BlobKeyProvider {
  const first = keys[0];
  if (!first) throw new TypeError('staticBlobKeys needs at least one key');
  for (const k of keys) {
    if (k.key.byteLength !== 32) throw new TypeError(`Blob key "${k.id}" must be 32 bytes, got ${k.key.byteLength}`);
  }
  return {
    current: async () => first,
    get: async (id) => keys.find((k) => k.id === id)?.key,
  };
}

/** Plaintext bytes per encrypted segment; each segment carries its own 16-byte GCM tag. */
export const SEGMENT_SIZE = 64 * 1024;
const TAG = 16;

/** What an encrypted blob records beside its ciphertext (stored as S3 user metadata). */
export interface EnvelopeHeader {
  /** Id of the key that wrapped the data key. */
  keyId: string;
  /** The per-blob data key, AES-256-GCM-wrapped: nonce (12) + ciphertext (32) + tag (16), base64. */
  wrappedKey: string;
  /** Seven random bytes, base64, prefixing every segment nonce. */
  noncePrefix: string;
}

/**
 * Starts encrypting one blob: a fresh random data key, wrapped with the provider's current key.
 * The body is cut into {@link SEGMENT_SIZE} segments, each sealed with AES-256-GCM under nonce =
 * prefix (7) | segment number (4) | last-segment flag (1): every segment is authenticated before
 * its bytes are released, segments cannot be reordered, and a cut-off blob fails on its last
 * segment (the STREAM construction, as in age and Tink's streaming AEAD).
 */
export async function startEncryption(keys: BlobKeyProvider): Promise<{
  header: EnvelopeHeader;
  encrypt: (plaintext: AsyncIterable<Uint8Array>) => AsyncGenerator<Uint8Array>;
}> {
  const master = await keys.current();
  const dataKey = randomBytes(32);
  const wrapNonce = randomBytes(12);
  const wrap = createCipheriv('aes-256-gcm', master.key, wrapNonce);
  wrap.setAAD(Buffer.from(`weft-blob-key:${master.id}`));
  const wrapped = Buffer.concat([wrapNonce, wrap.update(dataKey), wrap.final(), wrap.getAuthTag()]);
  const prefix = randomBytes(7);
  const header = { keyId: master.id, wrappedKey: wrapped.toString('base64'), noncePrefix: prefix.toString('base64') };
  async function* encrypt(plaintext: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    let pending = Buffer.alloc(0);
    let n = 0;
    for await (const chunk of plaintext) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
      while (pending.length > SEGMENT_SIZE) {
        yield seal(dataKey, prefix, n++, false, pending.subarray(0, SEGMENT_SIZE));
        pending = pending.subarray(SEGMENT_SIZE);
      }
    }
    yield seal(dataKey, prefix, n, true, pending);
  }
  return { header, encrypt };
}

/**
 * Decrypts a blob written by {@link startEncryption}, segment by segment. Throws when the key is
 * unknown, or any segment was altered, reordered or cut off.
 */
export async function* decrypt(
  keys: BlobKeyProvider,
  header: EnvelopeHeader,
  ciphertext: AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const master = await keys.get(header.keyId);
  if (!master) throw new Error(`Blob was encrypted with key "${header.keyId}", which the key provider does not have`);
  const wrapped = Buffer.from(header.wrappedKey, 'base64');
  const unwrap = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, 12));
  unwrap.setAAD(Buffer.from(`weft-blob-key:${header.keyId}`));
  unwrap.setAuthTag(wrapped.subarray(44, 60));
  const dataKey = Buffer.concat([unwrap.update(wrapped.subarray(12, 44)), unwrap.final()]);
  const prefix = Buffer.from(header.noncePrefix, 'base64');
  let pending = Buffer.alloc(0);
  let n = 0;
  for await (const chunk of ciphertext) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
    while (pending.length > SEGMENT_SIZE + TAG) {
      yield open(dataKey, prefix, n++, false, pending.subarray(0, SEGMENT_SIZE + TAG));
      pending = pending.subarray(SEGMENT_SIZE + TAG);
    }
  }
  yield open(dataKey, prefix, n, true, pending);
}

/** Plaintext size of an encrypted blob of `ciphertextSize` bytes. */
export function plaintextSize(ciphertextSize: number): number {
  const segments = Math.max(1, Math.ceil(ciphertextSize / (SEGMENT_SIZE + TAG)));
  return ciphertextSize - segments * TAG;
}

function nonce(prefix: Uint8Array, n: number, last: boolean): Buffer {
  const out = Buffer.alloc(12);
  out.set(prefix, 0);
  out.writeUInt32BE(n, 7);
  out[11] = last ? 1 : 0;
  return out;
}

function seal(key: Uint8Array, prefix: Uint8Array, n: number, last: boolean, plain: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce(prefix, n, last));
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

function open(key: Uint8Array, prefix: Uint8Array, n: number, last: boolean, sealed: Buffer): Buffer {
  if (sealed.length < TAG) throw new Error('Encrypted blob is cut off');
  const d = createDecipheriv('aes-256-gcm', key, nonce(prefix, n, last));
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - TAG)), d.final()]);
  } catch {
    throw new Error(`Encrypted blob failed authentication at segment ${n}: altered, reordered or cut off`);
  }
}
