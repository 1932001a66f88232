import type { RealtimeCounterStore } from '@weft/engine';
import type { RedisClient } from './redis-client.js';

/**
 * Per-minute realtime counters in Redis hashes (`<prefix>:{<workspace>}:<minute>`, `HINCRBY` per
 * field, expiring after 20 minutes), so every host process adds to and reads the same minutes.
 * The workspace is the hash tag, so one `read` pipeline stays in one slot on a Redis Cluster.
 * Implements the engine's `RealtimeCounterStore` port, which `@weft/analytics` reads.
 *
 * @example
 * ```ts
 * const realtime = new RealtimeMetrics(new RedisRealtimeCounters({ redis, prefix: 'weft:analytics' }));
 * ```
 */
export class RedisRealtimeCounters implements RealtimeCounterStore {
  readonly #redis: RedisClient;
  readonly #prefix: string;

  constructor(options: { redis: RedisClient; prefix?: string }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'weft:analytics:rt';
  }

  async increment(workspaceId: string, minute: number, fields: Readonly<Record<string, number>>): Promise<void> {
    const key = this.#key(workspaceId, minute);
    const tx = this.#redis.multi();
    for (const [field, by] of Object.entries(fields)) if (by) tx.hincrby(key, field, by);
    tx.pexpire(key, 20 * 60_000);
    await tx.exec();
  }

  async read(workspaceId: string, minutes: readonly number[]): Promise<Record<string, number>[]> {
    const pipe = this.#redis.pipeline();
    for (const m of minutes) pipe.hgetall(this.#key(workspaceId, m));
    const replies = (await pipe.exec()) ?? [];
    return replies.map(([err, value]) => {
      if (err) throw err;
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, string>)) out[k] = Number(v);
      return out;
    });
  }

  #key(workspaceId: string, minute: number): string {
    return `${this.#prefix}:{${encodeURIComponent(workspaceId)}}:${minute}`;
  }
}
