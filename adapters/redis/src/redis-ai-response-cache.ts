import type { RedisClient } from './redis-client.js';

/**
 * `@weft/ai`'s response cache on Redis: each answer under `<prefix>:<key>` with a millisecond TTL
 * (`SET … PX`), so Redis expires it; shared by every host process. It has the shape of
 * `@weft/ai`'s `ResponseCache` port without importing it.
 *
 * @example
 * ```ts
 * const cache = new RedisAiResponseCache({ redis, prefix: 'weft:ai' });
 * await generateWorkflow(prompt, { catalogue, provider, cache });
 * ```
 */
export class RedisAiResponseCache {
  readonly #redis: RedisClient;
  readonly #prefix: string;

  /** `redis`: a connected ioredis client you built, never closed here; `prefix` default `weft:ai`. */
  constructor(options: { redis: RedisClient; prefix?: string }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'weft:ai';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#redis.get(`${this.#prefix}:${key}`)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#redis.set(`${this.#prefix}:${key}`, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }
}
