/**
 * A master key from configuration: 32 bytes, named so ciphertexts can say which one wrapped them.
 *
 * @example
 * ```ts
 * const key: MasterKey = { id: 'k2026', key: new Uint8Array(randomBytes(32)) };
 * ```
 */
export interface MasterKey {
  id: string;
  key: Uint8Array;
}

/**
 * Parses master keys from configuration text: `id:base64key` pairs separated by commas, e.g. the
 * value of `WEFT_MASTER_KEYS`. Each key must decode to exactly 32 bytes.
 *
 * @example
 * ```ts
 * const keys = parseMasterKeys(process.env.WEFT_MASTER_KEYS ?? '');
 * // generate one: `openssl rand -base64 32`
 * ```
 */
export function parseMasterKeys(text: string): MasterKey[] {
  const keys = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const sep = entry.indexOf(':');
      if (sep <= 0) throw new Error(`Master key #${i + 1} must look like "id:base64key" (got no id)`);
      const id = entry.slice(0, sep);
      const key = Buffer.from(entry.slice(sep + 1), 'base64');
      if (key.length !== 32) {
        throw new Error(`Master key "${id}" must be 32 bytes of base64 (got ${key.length} bytes)`);
      }
      return { id, key: new Uint8Array(key) };
    });
  if (keys.length === 0) throw new Error('No master key configured: give at least one "id:base64key"');
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error('Master key ids must be unique');
  return keys;
}
