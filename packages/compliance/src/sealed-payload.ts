/**
 * A JSON value encrypted with a data subject's key (AES-256-GCM): what an execution column holds
 * instead of the payload once the execution carries a subject. `kid` names the subject key; once
 * that key is destroyed (erasure), nobody can open it, in the database or in any backup of it.
 */
export interface SealedPayload {
  $sealed: { v: 1; kid: string; iv: string; ct: string };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function b64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

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
 * Imports a raw 32-byte key for {@link sealJson} and {@link openJson} (Web Crypto, not extractable).
 *
 * @example
 * ```ts
 * const key = await importSubjectKey(crypto.getRandomValues(new Uint8Array(32)));
 * ```
 */
export function importSubjectKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/**
 * Encrypts a JSON value with AES-256-GCM under a fresh 96-bit IV; the key id is bound to the
 * ciphertext as additional data, so an envelope cannot be relabelled with another key.
 *
 * @example
 * ```ts
 * const sealed = await sealJson({ email: 'ada@example.com' }, key, 'sk_1');
 * (await openJson(sealed, key)); // { email: 'ada@example.com' }
 * ```
 */
export async function sealJson(value: unknown, key: CryptoKey, kid: string): Promise<SealedPayload> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(kid) },
    key,
    encoder.encode(JSON.stringify(value)),
  );
  return { $sealed: { v: 1, kid, iv: b64(iv), ct: b64(new Uint8Array(ct)) } };
}

/** Decrypts a {@link SealedPayload}; rejects when the key is not the one it was sealed with. */
export async function openJson(sealed: SealedPayload, key: CryptoKey): Promise<unknown> {
  const { kid, iv, ct } = sealed.$sealed;
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: unb64(iv), additionalData: encoder.encode(kid) },
    key,
    unb64(ct),
  );
  return JSON.parse(decoder.decode(plain));
}

/** A subject key as Web Crypto holds it (for code whose TypeScript lib has no DOM types). */
export type SubjectKey = CryptoKey;
