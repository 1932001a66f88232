import type { Kysely } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { WeftDatabase } from '../schema.js';
import { millis } from '../sql-dialect.js';

/**
 * `@weft/ai`'s response cache on SQL (table `ai_response_cache`, migration 17): model answers by
 * key until they expire. An expired row reads as absent and is deleted; `prune` deletes expired
 * rows in chunks. It has the shape of `@weft/ai`'s `ResponseCache` port without importing it.
 *
 * @example
 * ```ts
 * const cache = new SqlAiResponseCache(h);
 * await generateWorkflow(prompt, { catalogue, provider, cache });
 * ```
 */
export class SqlAiResponseCache {
  readonly #db: Kysely<WeftDatabase>;
  readonly #now: () => number;

  constructor(h: HostDb, options: { now?: () => number } = {}) {
    this.#db = h.db;
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('ai_response_cache')
      .select(['value', 'expires_at'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (millis(row.expires_at) > this.#now()) return row.value;
    await this.#db
      .deleteFrom('ai_response_cache')
      .where('key', '=', key)
      .where('expires_at', '<=', this.#now())
      .execute();
    return undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const expires_at = this.#now() + Math.max(0, ttlMs);
    await this.#db
      .insertInto('ai_response_cache')
      .values({ key, value, expires_at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, expires_at }))
      .execute();
  }

  /** Deletes up to `limit` expired entries; returns how many. */
  async prune(limit = 1000): Promise<number> {
    const now = this.#now();
    const result = await this.#db
      .deleteFrom('ai_response_cache')
      .where('key', 'in', (eb) =>
        eb.selectFrom('ai_response_cache').select('key').where('expires_at', '<=', now).limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
