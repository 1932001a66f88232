import type { BatchOutcome } from '@weft/sql';
import { WriteBatcher } from '@weft/sql';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * Group commit for one better-sqlite3 connection: every write submitted in the same tick runs
 * in one `BEGIN IMMEDIATE` transaction, and each promise resolves after that transaction commits.
 * A write that throws (a constraint violation) fails alone: SQLite rolls back that statement and
 * the rest of the batch still commits. When kysely holds a transaction open on the connection the
 * batch waits for it to finish instead of joining it.
 *
 * @example
 * ```ts
 * const commit = new SqliteGroupCommit(database);
 * const changes = await commit.run(() => insert.run(row).changes);
 * ```
 */
export class SqliteGroupCommit {
  readonly #batcher: WriteBatcher<() => unknown, unknown>;

  constructor(private readonly database: BetterSqlite3.Database) {
    this.#batcher = new WriteBatcher((ops) => this.#flush(ops), { concurrency: 1, dbSystem: 'sqlite' });
  }

  /** Runs `write` (synchronous better-sqlite3 calls) in the next group transaction; `executionId` names whose write it is, for its trace. */
  run<T>(write: () => T, executionId?: string): Promise<T> {
    return this.#batcher.submit(write, executionId) as Promise<T>;
  }

  /** Resolves once every write submitted so far has been committed (or failed). */
  async drain(): Promise<void> {
    while (this.#batcher.pending > 0 || this.#batcher.running > 0) await new Promise((r) => setImmediate(r));
  }

  async #flush(ops: (() => unknown)[]): Promise<BatchOutcome<unknown>[]> {
    while (this.database.inTransaction) await new Promise((r) => setImmediate(r));
    const outcomes: BatchOutcome<unknown>[] = [];
    try {
      this.database
        .transaction(() => {
          for (const op of ops) {
            try {
              outcomes.push({ value: op() });
            } catch (error) {
              outcomes.push({ error });
            }
          }
        })
        .immediate();
    } catch (err) {
      throw new Error(
        `SQLite group commit of ${ops.length} write(s) to ${this.database.name} failed: ${(err as Error).message}`,
        { cause: err },
      );
    }
    return outcomes;
  }
}
