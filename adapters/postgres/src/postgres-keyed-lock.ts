import { createHash } from 'node:crypto';
import type { KeyedLock } from '@weft/engine';
import pg from 'pg';

/**
 * `run` waited longer than its bound for an advisory lock another session held.
 *
 * @example
 * ```ts
 * if (err instanceof PgLockWaitTimeoutError) logger.warn({ key: err.key }, 'lock busy');
 * ```
 */
export class PgLockWaitTimeoutError extends Error {
  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`Could not take the lock "${key}" within ${waitedMs} ms: another process still holds it`);
    this.name = 'PgLockWaitTimeoutError';
  }
}

/**
 * Options of {@link PostgresKeyedLock}: a connection string (the lock opens and ends its own small pool)
 * or a pool you built.
 *
 * @example
 * ```ts
 * const options: PostgresKeyedLockOptions = { connectionString: process.env.DATABASE_URL!, maxWaitMs: 30_000 };
 * ```
 */
export type PostgresKeyedLockOptions = (
  | { connectionString: string; pool?: never }
  | { pool: pg.Pool; connectionString?: never }
) & {
  /** Mixed into every lock id, so applications sharing a database keep apart. Default `weft`. */
  namespace?: string;
  /** Pool size when a connection string is given (one connection per lock held at once); default 4. */
  poolSize?: number;
  /** How long `run` waits for a busy lock before it throws {@link PgLockWaitTimeoutError}. Default 60 s. */
  maxWaitMs?: number;
  /** First wait between tries, doubled per try (with jitter) up to `retryMaxMs`. Default 10 ms. */
  retryMinMs?: number;
  /** Longest wait between tries. Default 500 ms. */
  retryMaxMs?: number;
};

/**
 * The signed 64-bit advisory lock id of `key`: the first 8 bytes of SHA-256 over the namespace
 * and the key. Two keys sharing an id (about 1 in 2^64) only wait for each other.
 *
 * @example
 * ```ts
 * await client.query('select pg_advisory_lock($1::bigint)', [advisoryLockId('weft', 'oauth2:ws1:c1')]);
 * ```
 */
export function advisoryLockId(namespace: string, key: string): string {
  return createHash('sha256').update(`${namespace}\u0000${key}`).digest().readBigInt64BE(0).toString();
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`PostgresKeyedLock: ${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}

/**
 * A {@link KeyedLock} on Postgres session advisory locks, for hosts
 * on Postgres without Redis, so several processes refresh an OAuth2 credential once. Each try
 * takes a connection and calls `pg_try_advisory_lock` on the key's 64-bit hash; a busy lock
 * gives the connection back and retries with jittered backoff up to `maxWaitMs`. The connection
 * that won is held while the work runs and unlocks afterwards. A holder that dies loses its
 * session, and Postgres releases the lock with it: no lease to renew, no stale lock left.
 *
 * Give it its own small pool (a connection string does that), so lock holders never compete for
 * connections with the queries their work runs.
 *
 * @example
 * ```ts
 * const lock = new PostgresKeyedLock({ connectionString: process.env.DATABASE_URL! });
 * const tokens = new OAuth2TokenManager({ http, writer: vault, shared: { lock, reload } });
 * await lock.close();
 * ```
 */
export class PostgresKeyedLock implements KeyedLock {
  readonly #pool: pg.Pool;
  readonly #ownPool: boolean;
  readonly #namespace: string;
  readonly #maxWaitMs: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;

  constructor(options: PostgresKeyedLockOptions) {
    this.#ownPool = !options.pool;
    this.#pool =
      options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 4 });
    // An idle connection killed by the server must not crash the process; the pool replaces it.
    if (this.#ownPool) this.#pool.on('error', () => {});
    this.#namespace = options.namespace ?? 'weft';
    const wait = options.maxWaitMs ?? 60_000;
    if (!Number.isFinite(wait) || wait < 0)
      throw new Error(`PostgresKeyedLock: maxWaitMs must be zero or more milliseconds, got ${wait}`);
    this.#maxWaitMs = wait;
    this.#retryMinMs = positive('retryMinMs', options.retryMinMs ?? 10);
    this.#retryMaxMs = Math.max(this.#retryMinMs, positive('retryMaxMs', options.retryMaxMs ?? 500));
  }

  /** Runs `work` while holding `key`; resolves with its value or rejects with its error, releasing the lock either way. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const id = advisoryLockId(this.#namespace, key);
    const client = await this.#acquire(key, id);
    try {
      return await work();
    } finally {
      try {
        await client.query('select pg_advisory_unlock($1::bigint)', [id]);
        client.release();
      } catch (err) {
        // Dropping the connection ends its session, which releases the lock.
        client.release(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  /** Ends the pool when the lock opened it. */
  async close(): Promise<void> {
    if (this.#ownPool) await this.#pool.end();
  }

  async #acquire(key: string, id: string): Promise<pg.PoolClient> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const client = await this.#pool.connect();
      let locked: boolean;
      try {
        const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [
          id,
        ]);
        locked = rows[0]?.locked === true;
      } catch (err) {
        client.release(err instanceof Error ? err : new Error(String(err)));
        throw new Error(`PostgresKeyedLock: could not try the lock "${key}": ${(err as Error).message}`, {
          cause: err,
        });
      }
      if (locked) return client;
      client.release();
      const waited = Date.now() - started;
      if (waited >= this.#maxWaitMs) throw new PgLockWaitTimeoutError(key, this.#maxWaitMs);
      const step = Math.min(this.#retryMaxMs, this.#retryMinMs * 2 ** Math.min(attempt, 20));
      const pause = Math.min(step / 2 + Math.random() * (step / 2), this.#maxWaitMs - waited);
      await new Promise((r) => setTimeout(r, Math.max(1, pause)));
    }
  }
}
