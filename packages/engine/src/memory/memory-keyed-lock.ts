import type { KeyedLock } from '../ports/keyed-lock.js';

/**
 * In-process {@link KeyedLock}: work for the same key runs one after another.
 *
 * @example
 * ```ts
 * const lock = new MemoryKeyedLock();
 * await Promise.all([lock.run('k', a), lock.run('k', b)]); // b starts after a settles
 * ```
 */
export class MemoryKeyedLock implements KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
