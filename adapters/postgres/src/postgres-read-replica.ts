import type { WeftDatabase } from '@weft/sql';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

/** Options of {@link PostgresReadReplica}. */
export interface PostgresReadReplicaOptions {
  /** Weft's handle on the primary (what the stores write through), for `pg_current_wal_insert_lsn()`. */
  primary: Kysely<WeftDatabase>;
  /** A streaming (hot standby) replica of the primary. */
  connectionString: string;
  /** Schema of Weft's tables; default `public`. */
  schema?: string;
  /** Pool size of the replica connections; default 10. */
  poolSize?: number;
  /** Told when the replica cannot be asked (reads then go to the primary). */
  onError?: (error: Error) => void;
  /** How many keys with an unreplayed write are remembered (oldest dropped first); default 10,000. */
  maxTrackedKeys?: number;
}

/**
 * Reads that may go to a streaming replica, with read-your-writes per key (a workspace, a user):
 * after {@link noteWrite}, reads of that key go to the primary until the replica has replayed the
 * WAL position the primary had after the write (`pg_last_wal_replay_lsn() >= lsn`); then to the
 * replica again. Keys with no recent write read from the replica at once. When the replica cannot
 * be asked, reads go to the primary.
 *
 * Cost: one `pg_current_wal_insert_lsn()` on the primary per event-loop turn in which writes were noted
 * (shared by all of them), and one `pg_last_wal_replay_lsn()` on the replica per read of a key
 * whose write is not yet known to be replayed (shared by concurrent reads).
 *
 * @example
 * ```ts
 * const replica = new PostgresReadReplica({ primary: storage.db, connectionString: process.env.READ_URL!, schema: 'weft' });
 * await saveSomething(workspaceId);
 * replica.noteWrite(workspaceId);
 * const db = await replica.reader(workspaceId); // the primary until the replica caught up
 * await replica.close();
 * ```
 */
export class PostgresReadReplica {
  /** Weft's tables on the replica (read only). */
  readonly db: Kysely<WeftDatabase>;
  readonly pool: pg.Pool;
  readonly #base: Kysely<WeftDatabase>;
  readonly #primary: Kysely<WeftDatabase>;
  readonly #marks = new Map<string, Promise<bigint>>();
  readonly #onError: (error: Error) => void;
  readonly #maxKeys: number;
  #nextLsn: Promise<bigint> | undefined;
  #replay: Promise<bigint> | undefined;

  constructor(options: PostgresReadReplicaOptions) {
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    this.pool.on('error', () => {});
    this.#base = new Kysely<WeftDatabase>({ dialect: new PostgresDialect({ pool: this.pool }) });
    this.db = this.#base.withSchema(options.schema ?? 'public');
    this.#primary = options.primary;
    this.#onError = options.onError ?? (() => {});
    this.#maxKeys = options.maxTrackedKeys ?? 10_000;
  }

  /**
   * Records that `key` just wrote (call it after the write committed): its reads go to the primary
   * until the replica has replayed the primary's WAL position read after this call.
   */
  noteWrite(key: string): void {
    if (!this.#nextLsn) {
      // Read after every write noted in this turn: the position is past all of them.
      this.#nextLsn = new Promise<bigint>((resolve, reject) => {
        setImmediate(() => {
          this.#nextLsn = undefined;
          sql<{ lsn: string }>`select pg_current_wal_insert_lsn()::text as lsn`
            .execute(this.#primary)
            .then((r) => resolve(parseLsn(r.rows[0]?.lsn ?? '0/0')), reject);
        });
      });
      this.#nextLsn.catch(() => {});
    }
    this.#marks.delete(key);
    this.#marks.set(key, this.#nextLsn);
    if (this.#marks.size > this.#maxKeys) this.#marks.delete(this.#marks.keys().next().value as string);
  }

  /** Where a read of `key` goes now. */
  async route(key: string): Promise<'replica' | 'primary'> {
    const mark = this.#marks.get(key);
    if (!mark) return 'replica';
    try {
      const [written, replayed] = await Promise.all([mark, this.#replayed()]);
      if (replayed < written) return 'primary';
      if (this.#marks.get(key) === mark) this.#marks.delete(key);
      return 'replica';
    } catch (error) {
      this.#onError(error instanceof Error ? error : new Error(String(error)));
      return 'primary';
    }
  }

  /** The handle to read `key` with: the replica's, or `primary` while the replica lags behind its write. */
  async reader(key: string, primary: Kysely<WeftDatabase> = this.#primary): Promise<Kysely<WeftDatabase>> {
    return (await this.route(key)) === 'replica' ? this.db : primary;
  }

  /** Ends the replica pool. */
  async close(): Promise<void> {
    await this.#base.destroy();
  }

  #replayed(): Promise<bigint> {
    this.#replay ??= sql<{ lsn: string | null }>`select pg_last_wal_replay_lsn()::text as lsn`
      .execute(this.#base)
      .then((r) => {
        const lsn = r.rows[0]?.lsn;
        if (!lsn) throw new Error('the read URL is not a streaming replica (pg_last_wal_replay_lsn() is null)');
        return parseLsn(lsn);
      })
      .finally(() => {
        this.#replay = undefined;
      });
    return this.#replay;
  }
}

/** `16/B374D848` -> a comparable number. */
function parseLsn(text: string): bigint {
  const [hi, lo] = text.split('/');
  return (BigInt(`0x${hi ?? '0'}`) << 32n) + BigInt(`0x${lo ?? '0'}`);
}
