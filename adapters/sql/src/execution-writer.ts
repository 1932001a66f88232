import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ExecutionRow, ExecutionUpdate, NodeRunRow } from './execution-rows.js';
import type { ExecutionsTable, QueueJobsTable, WeftDatabase } from './schema.js';

/**
 * The three writes on an execution's hot path. {@link SqlExecutionStore} builds rows and handles
 * idempotency, blobs and errors; a writer only puts rows in the database, which lets an adapter
 * swap in prepared statements and group commit (SQLite) or batched statements (Postgres).
 *
 * @example
 * ```ts
 * const store = new SqlExecutionStore({ db, dialect: 'sqlite', writer: new KyselyExecutionWriter(db) });
 * ```
 */
export interface ExecutionWriter {
  /** Inserts unless the id or the (workspace, idempotency key) exists; true when inserted. */
  insertExecution(row: ExecutionRow): Promise<boolean>;
  /**
   * {@link ExecutionWriter.insertExecution} and, only when the execution was inserted, the queue
   * job that starts it, atomically: false (nothing written) on a duplicate execution; rejects
   * (nothing written) when the job cannot be inserted. Optional: a writer without it leaves
   * enqueueing to the queue.
   */
  insertExecutionWithJob?(row: ExecutionRow, job: Insertable<QueueJobsTable>): Promise<boolean>;
  /**
   * Inserts node runs of one execution and, when `set` is given, updates it — atomically. Rejects
   * (writing nothing) on a repeated (execution, seq) or an unknown execution; resolves with the
   * number of executions changed by `set` (0 or 1), or 1 without `set`.
   */
  writeCheckpoint(executionId: string, rows: NodeRunRow[], set?: ExecutionUpdate): Promise<number>;
  /** Sets columns of one execution; resolves with the number of rows changed (0 or 1). */
  updateExecution(id: string, set: ExecutionUpdate): Promise<number>;
  /**
   * Sets columns of one execution only while its status is `from` (a worker taking a queued
   * execution); resolves with the number of rows changed (0 or 1). Optional: without it the store
   * issues its own conditional update. An adapter may group the transitions of one turn.
   */
  transitionExecution?(id: string, from: string, set: ExecutionUpdate): Promise<number>;
  /**
   * Reads one execution row by id (undefined when absent). Optional: without it the store reads
   * through kysely. An adapter may group the reads of one turn into one statement.
   */
  readExecution?(id: string): Promise<Selectable<ExecutionsTable> | undefined>;
}

/**
 * The plain writer: one kysely statement per write.
 *
 * @example
 * ```ts
 * const writer = new KyselyExecutionWriter(db);
 * ```
 */
export class KyselyExecutionWriter implements ExecutionWriter {
  constructor(private readonly db: Kysely<WeftDatabase>) {}

  async insertExecution(row: ExecutionRow): Promise<boolean> {
    const r = await this.db
      .insertInto('executions')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async insertExecutionWithJob(row: ExecutionRow, job: Insertable<QueueJobsTable>): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .insertInto('executions')
        .values(row)
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await trx.insertInto('queue_jobs').values(job).execute();
      return true;
    });
  }

  async writeCheckpoint(executionId: string, rows: NodeRunRow[], set?: ExecutionUpdate): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      if (rows.length > 0) await trx.insertInto('node_runs').values(rows).execute();
      if (!set) return 1;
      const r = await trx.updateTable('executions').set(set).where('id', '=', executionId).executeTakeFirst();
      // Runs of an execution that does not exist must not stay behind.
      if (Number(r.numUpdatedRows) === 0 && rows.length > 0) throw new Error(`Execution ${executionId} not found`);
      return Number(r.numUpdatedRows);
    });
  }

  async updateExecution(id: string, set: ExecutionUpdate): Promise<number> {
    const r = await this.db.updateTable('executions').set(set).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async transitionExecution(id: string, from: string, set: ExecutionUpdate): Promise<number> {
    const r = await this.db
      .updateTable('executions')
      .set(set)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
