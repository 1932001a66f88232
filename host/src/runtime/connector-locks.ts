import { type KeyedLock, type Logger, MemoryKeyedLock, type ScheduleLock } from '@weft/engine';
import { PostgresKeyedLock } from '@weft/postgres';
import { type RedisClient, RedisKeyedLock, RedisScheduleLock } from '@weft/redis';

/** The locks connectors and triggers share between host processes. */
export interface ConnectorLocks {
  /** Runs OAuth2 refreshes (and other keyed work) once across processes. */
  keyed: KeyedLock;
  /** Fires each schedule tick once; undefined means the database's (`SqlTriggerState`). */
  schedule: ScheduleLock | undefined;
  /** Which implementation was chosen, for logs and tests. */
  kind: 'redis' | 'postgres' | 'memory';
  /** Ends what the locks opened (the Postgres lock's own small pool). */
  close(): Promise<void>;
}

/**
 * Picks the locks for the host's deployment: with Redis (`WEFT_REDIS_URL`) the Redis locks for
 * both OAuth2 refreshes and schedule ticks; on Postgres without Redis an advisory-lock
 * `PostgresKeyedLock` on its own small pool, with schedule ticks locked in the database; on SQLite (one
 * process) the in-memory keyed lock.
 *
 * @example
 * ```ts
 * const locks = createConnectorLocks({ redis, redisPrefix: 'weft', databaseUrl, logger });
 * const tokens = new OAuth2TokenManager({ http, writer: vault, shared: { lock: locks.keyed, reload } });
 * await locks.close();
 * ```
 */
export function createConnectorLocks(options: {
  redis: RedisClient | undefined;
  redisPrefix: string;
  databaseUrl: string;
  logger: Logger;
}): ConnectorLocks {
  const { redis, redisPrefix, databaseUrl, logger } = options;
  if (redis) {
    return {
      keyed: new RedisKeyedLock({ redis, prefix: `${redisPrefix}:lock`, logger }),
      schedule: new RedisScheduleLock({ redis, prefix: `${redisPrefix}:schedule` }),
      kind: 'redis',
      close: async () => {},
    };
  }
  if (databaseUrl.startsWith('postgres')) {
    const lock = new PostgresKeyedLock({ connectionString: databaseUrl, poolSize: 4 });
    return { keyed: lock, schedule: undefined, kind: 'postgres', close: () => lock.close() };
  }
  return { keyed: new MemoryKeyedLock(), schedule: undefined, kind: 'memory', close: async () => {} };
}
