import type { BlobStore } from '../ports/blob-store.js';

/**
 * Blobs in process memory.
 *
 * @example
 * ```ts
 * const blobs = new MemoryBlobStore();
 * await blobs.put('a', new Uint8Array([1, 2, 3]));
 * ```
 */
export class MemoryBlobStore implements BlobStore {
  readonly #blobs = new Map<string, Uint8Array>();

  async put(key: string, data: Uint8Array): Promise<void> {
    this.#blobs.set(key, data.slice());
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.#blobs.get(key)?.slice();
  }

  async deletePrefix(prefix: string): Promise<number> {
    let n = 0;
    for (const key of [...this.#blobs.keys()]) {
      if (key.startsWith(prefix)) {
        this.#blobs.delete(key);
        n++;
      }
    }
    return n;
  }
}
