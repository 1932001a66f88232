/**
 * Large payloads kept outside the database rows: binary item data and node outputs above a size
 * threshold. Keys are chosen by the caller and are unique; values are immutable once written.
 *
 * @example
 * ```ts
 * await blobs.put('ws1/exec1/node3.json', new TextEncoder().encode(JSON.stringify(items)));
 * const bytes = await blobs.get('ws1/exec1/node3.json');
 * ```
 */
export interface BlobStore {
  put(key: string, data: Uint8Array, options?: { contentType?: string }): Promise<void>;
  /** The bytes, or undefined when no such key exists. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Deletes every key starting with `prefix`; returns how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
}
