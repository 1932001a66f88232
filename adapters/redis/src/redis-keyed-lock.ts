import { randomBytes } from 'node:crypto';
import { type KeyedLock, type Logger, silentLogger } from '@weft/engine';
import { LuaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

const releaseScript = new LuaScript(
  'weft-lock-release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
);

const renewScript = new LuaScript(
  'weft-lock-renew',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
);

/**
 * `run` waited longer than its bound for a lock another holder kept.
 *
 * @example
 * ```ts
 * if (err instanceof LockWaitTimeoutError) logger.warn({ key: err.key }, 'lock busy');
 * ```
 */
export class LockWaitTimeoutError extends Error {
  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`Could not take the lock "${key}" within ${waitedMs} ms: another process still holds it`);
    this.name = 'LockWaitTimeoutError';
  }
}

/**
 * Options of {@link RedisKeyedLock}.
 *
 * @example
 * ```ts
 * const options: RedisKeyedLockOptions = { redis, leaseMs: 30_000, maxWaitMs: 60_000 };
 * ```
 */
export interface RedisKeyedLockOptions {
  /** A connected ioredis client you built; never closed by the lock. */
  redis: RedisClient;
  /** Key prefix; default `weft:lock`. A held lock is one string `<prefix>:<key>` holding the holder's token. */
  prefix?: string;
  /**
   * How long a holder that stopped (crashed, lost its connection) keeps the lock; renewed every
   * third of it while the work runs, so longer work stays exclusive. Default 30 s.
   */
  leaseMs?: number;
  /** How long `run` waits for a busy lock before it throws {@link LockWaitTimeoutError}. Default 60 s. */
  maxWaitMs?: number;
  /** First wait between tries, doubled per try (with jitter) up to `retryMaxMs`. Default 10 ms. */
  retryMinMs?: number;
  /** Longest wait between tries. Default 500 ms. */
  retryMaxMs?: number;
  /** Told when a lease could not be renewed (the work then may no longer be exclusive). */
  logger?: Logger;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`RedisKeyedLock: ${name} must be a positive number of milliseconds, got ${value}`);
  return Math.ceil(value);
}

/**
 * A {@link KeyedLock} shared by every process on one Redis, so several
 * processes refresh an OAuth2 credential once. Takes the lock with `SET key token NX PX lease`
 * (a random token per holder), retries with jittered exponential backoff up to `maxWaitMs`,
 * renews the lease while the work runs, and releases it with a compare-and-delete script, so a
 * holder never deletes a lock that expired and was taken by another. A holder that dies keeps the
 * lock only until its lease ends.
 *
 * @example
 * ```ts
 * const lock = new RedisKeyedLock({ redis });
 * const tokens = new OAuth2TokenManager({ http, writer: vault, shared: { lock, reload } });
 * await lock.run('report:ws1', async () => buildReport());
 * ```
 */
export class RedisKeyedLock implements KeyedLock {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #maxWaitMs: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #logger: Logger;

  constructor(options: RedisKeyedLockOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'weft:lock';
    this.#leaseMs = positive('leaseMs', options.leaseMs ?? 30_000);
    const wait = options.maxWaitMs ?? 60_000;
    if (!Number.isFinite(wait) || wait < 0)
      throw new Error(`RedisKeyedLock: maxWaitMs must be zero or more milliseconds, got ${wait}`);
    this.#maxWaitMs = wait;
    this.#retryMinMs = positive('retryMinMs', options.retryMinMs ?? 10);
    this.#retryMaxMs = Math.max(this.#retryMinMs, positive('retryMaxMs', options.retryMaxMs ?? 500));
    this.#logger = options.logger ?? silentLogger;
  }

  /** Runs `work` while holding `key`; resolves with its value or rejects with its error, releasing the lock either way. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const redisKey = `${this.#prefix}:${key}`;
    const token = randomBytes(16).toString('hex');
    await this.#acquire(key, redisKey, token);
    let lost = false;
    const renew = setInterval(
      () => {
        renewScript.run(this.#redis, [redisKey], [token, this.#leaseMs]).then(
          (renewed) => {
            if (Number(renewed) === 1 || lost) return;
            lost = true;
            clearInterval(renew);
            this.#logger.warn(
              { key },
              'lock lease expired while its work was still running; it may no longer be exclusive',
            );
          },
          // A failed renewal is tried again at the next tick; the lease still has two thirds left.
          () => {},
        );
      },
      Math.max(1, Math.floor(this.#leaseMs / 3)),
    );
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      // If the release fails the lease still ends on its own.
      await releaseScript.run(this.#redis, [redisKey], [token]).catch(() => {});
    }
  }

  async #acquire(key: string, redisKey: string, token: string): Promise<void> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      if ((await this.#redis.set(redisKey, token, 'PX', this.#leaseMs, 'NX')) === 'OK') return;
      const waited = Date.now() - started;
      if (waited >= this.#maxWaitMs) throw new LockWaitTimeoutError(key, this.#maxWaitMs);
      const step = Math.min(this.#retryMaxMs, this.#retryMinMs * 2 ** Math.min(attempt, 20));
      const pause = Math.min(step / 2 + Math.random() * (step / 2), this.#maxWaitMs - waited);
      await new Promise((r) => setTimeout(r, Math.max(1, pause)));
    }
  }
}
