/**
 * Runs work under a named lock, one holder at a time. OAuth2 refreshes use it so several
 * processes refresh a credential once. `RedisKeyedLock` (@weft/redis) and `PgKeyedLock`
 * (@weft/postgres, advisory locks) serve several processes, {@link MemoryKeyedLock} one. `run`
 * resolves with the work's value or rejects with its own error, releasing the lock either way;
 * every implementation passes `describeKeyedLockConformance` from @weft/testing.
 *
 * @example
 * ```ts
 * await lock.run('oauth2:ws1:c1', async () => refresh());
 * ```
 */
export interface KeyedLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

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
