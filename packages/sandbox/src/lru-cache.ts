/**
 * A bounded least-recently-used map. `onEvict` runs for every entry pushed out (used to release
 * isolated-vm references of compiled programs).
 *
 * @example
 * ```ts
 * const cache = new LruCache<string, number>(2, (key) => console.log('evicted', key));
 * cache.set('a', 1); cache.set('b', 2); cache.get('a'); cache.set('c', 3); // evicts 'b'
 * ```
 */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>();

  constructor(
    readonly capacity: number,
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LruCache: capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    const old = this.#map.get(key);
    this.#map.delete(key);
    if (old !== undefined && old !== value) this.onEvict(key, old);
    this.#map.set(key, value);
    if (this.#map.size > this.capacity) {
      const oldest = this.#map.keys().next().value as K;
      const evicted = this.#map.get(oldest) as V;
      this.#map.delete(oldest);
      this.onEvict(oldest, evicted);
    }
  }

  /** Removes every entry without calling `onEvict`. */
  clear(): void {
    this.#map.clear();
  }
}
