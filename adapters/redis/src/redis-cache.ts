import { LuaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

const getScript = new LuaScript(
  'weft-cache-get',
  `
local gen = redis.call('GET', KEYS[1]) or '0'
return { gen, redis.call('GET', ARGV[1] .. gen .. ':' .. ARGV[2]) }
`,
);

/**
 * Options of {@link RedisCache}.
 *
 * @example
 * ```ts
 * const options: RedisCacheOptions = { redis, prefix: 'acme:cache', ttlMs: 60_000 };
 * ```
 */
export interface RedisCacheOptions {
  /** A connected ioredis client you built; never closed by the cache. */
  redis: RedisClient;
  /** Key prefix; default `weft:cache`. */
  prefix?: string;
  /** Time to live of an entry unless `set`/`getOrLoad` says otherwise; default 5 minutes. */
  ttlMs?: number;
}

/**
 * A small JSON cache on Redis with TTLs and group invalidation. Entries live in groups (e.g. one
 * workflow); each group has a generation number that is part of every entry key, so
 * `invalidate(group)` drops all its entries at once by bumping it (the orphans expire by TTL).
 * `getOrLoad` writes what it loaded under the generation it read *before* loading, so a value
 * loaded just before a concurrent invalidation can never be served after it.
 *
 * Keys: `<prefix>:{<group>}:g` (generation, kept without TTL) and `<prefix>:{<group>}:<gen>:<key>`.
 *
 * @example
 * ```ts
 * const cache = new RedisCache({ redis, ttlMs: 60_000 });
 * const wf = await cache.getOrLoad('wf:ws1:orders', 'v3', () => store.getVersion('ws1', 'orders', 3));
 * await cache.invalidate('wf:ws1:orders'); // after the workflow changed
 * ```
 */
export class RedisCache {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #loading = new Map<string, Promise<unknown>>();

  constructor(options: RedisCacheOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'weft:cache';
    this.#ttlMs = checkTtl(options.ttlMs ?? 300_000, 'RedisCache options');
  }

  /** The cached value, or undefined. */
  async get<T>(group: string, key: string): Promise<T | undefined> {
    return (await this.#lookup<T>(group, key)).value;
  }

  /** Stores `value` (JSON) in the group's current generation. `undefined` is not stored. */
  async set<T>(group: string, key: string, value: T, options: { ttlMs?: number } = {}): Promise<void> {
    const gen = (await this.#redis.get(this.#genKey(group))) ?? '0';
    await this.#write(group, gen, key, value, options.ttlMs);
  }

  /** Removes one entry of the group's current generation; true when it existed. */
  async delete(group: string, key: string): Promise<boolean> {
    const gen = (await this.#redis.get(this.#genKey(group))) ?? '0';
    return (await this.#redis.del(this.#entryKey(group, gen, key))) === 1;
  }

  /** Drops every entry of the group (by moving it to a new generation). */
  async invalidate(group: string): Promise<void> {
    await this.#redis.incr(this.#genKey(group));
  }

  /**
   * Read-through: the cached value, or `load()`'s result, cached unless undefined. Concurrent calls
   * for one entry in this process share one load.
   */
  async getOrLoad<T>(
    group: string,
    key: string,
    load: () => Promise<T | undefined>,
    options: { ttlMs?: number } = {},
  ): Promise<T | undefined> {
    const { gen, value } = await this.#lookup<T>(group, key);
    if (value !== undefined) return value;
    const flightKey = this.#entryKey(group, gen, key);
    const inFlight = this.#loading.get(flightKey) as Promise<T | undefined> | undefined;
    if (inFlight) return inFlight;
    const loading = (async () => {
      try {
        const loaded = await load();
        await this.#write(group, gen, key, loaded, options.ttlMs);
        return loaded;
      } finally {
        this.#loading.delete(flightKey);
      }
    })();
    this.#loading.set(flightKey, loading);
    return loading;
  }

  async #lookup<T>(group: string, key: string): Promise<{ gen: string; value: T | undefined }> {
    const [gen, raw] = (await getScript.run(this.#redis, [this.#genKey(group)], [this.#groupBase(group), key])) as [
      string,
      string | null,
    ];
    if (raw === null) return { gen: String(gen), value: undefined };
    try {
      return { gen: String(gen), value: JSON.parse(raw) as T };
    } catch (error) {
      throw new Error(`RedisCache: entry "${key}" of group "${group}" is not valid JSON`, { cause: error });
    }
  }

  async #write(group: string, gen: string, key: string, value: unknown, ttlMs?: number): Promise<void> {
    if (value === undefined) return;
    const ttl = checkTtl(ttlMs ?? this.#ttlMs, `RedisCache entry "${key}" of group "${group}"`);
    await this.#redis.set(this.#entryKey(group, gen, key), JSON.stringify(value), 'PX', ttl);
  }

  #groupBase(group: string) {
    if (/[{}]/.test(group)) throw new TypeError(`RedisCache: group must not contain braces, got "${group}"`);
    return `${this.#prefix}:{${group}}:`;
  }

  #genKey(group: string) {
    return `${this.#groupBase(group)}g`;
  }

  #entryKey(group: string, gen: string, key: string) {
    return `${this.#groupBase(group)}${gen}:${key}`;
  }
}

function checkTtl(ttlMs: number, where: string): number {
  if (!Number.isInteger(ttlMs) || ttlMs < 1)
    throw new RangeError(`${where}: ttlMs must be a positive integer, got ${ttlMs}`);
  return ttlMs;
}
