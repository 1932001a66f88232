import type { JsonValue, TriggerStateStore } from '@weft/engine';
import type { RedisClient } from './redis-client.js';

/**
 * Options of {@link RedisTriggerStateStore}.
 *
 * @example
 * ```ts
 * const options: RedisTriggerStateStoreOptions = { redis, prefix: 'acme:state' };
 * ```
 */
export interface RedisTriggerStateStoreOptions {
  /** A connected ioredis client you built; never closed by the store. */
  redis: RedisClient;
  /** Key prefix; default `weft:state`. Each scope is one hash `<prefix>:<scope>`, a field per key. */
  prefix?: string;
}

/**
 * Trigger and action state ({@link TriggerStateStore}: poll cursors, seen ids) in
 * Redis, one hash per scope with JSON values, shared by every process. Values live as long as
 * Redis keeps its data: run Redis with persistence (AOF or RDB) when losing a cursor matters, or
 * keep state in the database (the host does).
 *
 * @example
 * ```ts
 * const state = new RedisTriggerStateStore({ redis });
 * registry.register(...connectorNodeTypes(github, { state }));
 * ```
 */
export class RedisTriggerStateStore implements TriggerStateStore {
  readonly #redis: RedisClient;
  readonly #prefix: string;

  constructor(options: RedisTriggerStateStoreOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'weft:state';
  }

  async get(scope: string, key: string): Promise<JsonValue | undefined> {
    const raw = await this.#redis.hget(`${this.#prefix}:${scope}`, key);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as JsonValue;
    } catch {
      throw new Error(
        `RedisTriggerStateStore: the value of "${key}" in scope "${scope}" is not JSON: ${raw.slice(0, 100)}`,
      );
    }
  }

  async set(scope: string, key: string, value: JsonValue): Promise<void> {
    const raw = JSON.stringify(value);
    if (raw === undefined)
      throw new Error(`RedisTriggerStateStore: the value of "${key}" in scope "${scope}" is not JSON`);
    await this.#redis.hset(`${this.#prefix}:${scope}`, key, raw);
  }

  async delete(scope: string, key: string): Promise<void> {
    await this.#redis.hdel(`${this.#prefix}:${scope}`, key);
  }
}
