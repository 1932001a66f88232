import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { Migration } from '../migration.js';
import type { WeftDatabase } from '../schema.js';

/**
 * Migration 22: breach-detection counters shared by every host process on one database (issue 13),
 * for hosts without Redis. `breach_hits` holds one row per counted audit entry of a breach rule's
 * slot (`rule\nkey`) until its window passed (`expires_at`); `breach_quiet` remembers, per slot,
 * until when an alert already raised keeps it quiet.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'postgres', migrations: weftMigrations });
 * ```
 */
export const breachCounters: Migration = {
  version: 22,
  name: 'shared breach-detection counters',
  async up(db, { types: t }) {
    await db.schema
      .createTable('breach_hits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('slot', 'text', (c) => c.notNull())
      .addColumn('at', t.millis, (c) => c.notNull())
      .addColumn('expires_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('breach_hits_slot_at').on('breach_hits').columns(['slot', 'at']).execute();
    await db.schema.createIndex('breach_hits_expires').on('breach_hits').column('expires_at').execute();
    await db.schema
      .createTable('breach_quiet')
      .addColumn('slot', 'text', (c) => c.primaryKey())
      .addColumn('quiet_until', t.millis, (c) => c.notNull())
      .execute();
  },
};

/**
 * Breach counters (the `BreachCounters` of `@weft/compliance`) in the database, shared by every
 * host process on it (migration 22). A hit is one insert and one count; the alert is claimed by
 * one conditional upsert, so of two processes crossing the threshold together exactly one raises
 * it. Expired rows are swept every `sweepEvery` hits.
 *
 * @example
 * ```ts
 * const detector = new BreachDetector(DEFAULT_BREACH_RULES, new SqlBreachCounters(h));
 * ```
 */
export class SqlBreachCounters {
  readonly #db: Kysely<WeftDatabase>;
  readonly #sweepEvery: number;
  #sinceSweep = 0;

  constructor(h: HostDb, options: { sweepEvery?: number } = {}) {
    this.#db = h.db;
    this.#sweepEvery = options.sweepEvery ?? 500;
  }

  async hit(slot: string, at: number, windowMs: number, threshold: number): Promise<{ count: number; alert: boolean }> {
    if (++this.#sinceSweep >= this.#sweepEvery) {
      this.#sinceSweep = 0;
      await this.#db.deleteFrom('breach_hits').where('expires_at', '<=', at).execute();
      await this.#db.deleteFrom('breach_quiet').where('quiet_until', '<=', at).execute();
    }
    await this.#db
      .insertInto('breach_hits')
      .values({ id: randomUUID(), slot, at, expires_at: at + windowMs })
      .execute();
    const row = await this.#db
      .selectFrom('breach_hits')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('slot', '=', slot)
      .where('at', '>', at - windowMs)
      .executeTakeFirstOrThrow();
    const count = Number(row.n);
    if (count < threshold) return { count, alert: false };
    const claimed = await this.#db
      .insertInto('breach_quiet')
      .values({ slot, quiet_until: at + windowMs })
      .onConflict((oc) =>
        oc
          .column('slot')
          .doUpdateSet((eb) => ({ quiet_until: eb.ref('excluded.quiet_until') }))
          .where('breach_quiet.quiet_until', '<=', at),
      )
      .returning('slot')
      .executeTakeFirst();
    return { count, alert: claimed !== undefined };
  }
}
