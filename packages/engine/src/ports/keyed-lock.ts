/**
 * Runs work under a named lock, one holder at a time. OAuth2 refreshes use it so several
 * processes refresh a credential once. `RedisKeyedLock` (@weft/redis) and `PostgresKeyedLock`
 * (@weft/postgres, advisory locks) serve several processes, `MemoryKeyedLock` one. `run`
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
