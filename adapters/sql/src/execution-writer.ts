import type { Kysely } from 'kysely';
import type { ExecutionRow, ExecutionUpdate, NodeRunRow } from './execution-rows.js';
import type { WeftDatabase } from './schema.js';

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
  /** Inserts a node run; rejects on a repeated (execution, seq) or an unknown execution. */
  insertNodeRun(row: NodeRunRow): Promise<void>;
  /** Sets columns of one execution; resolves with the number of rows changed (0 or 1). */
  updateExecution(id: string, set: ExecutionUpdate): Promise<number>;
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

  async insertNodeRun(row: NodeRunRow): Promise<void> {
    await this.db.insertInto('node_runs').values(row).execute();
  }

  async updateExecution(id: string, set: ExecutionUpdate): Promise<number> {
    const r = await this.db.updateTable('executions').set(set).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
